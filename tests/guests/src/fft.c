/*
 * fft.c - floating-point held-out guest: a radix-2 complex FFT in double
 * precision (forward, inverse, round-trip error, Parseval check, a
 * convolution by FFT against the direct sum), and a single-precision dense
 * matrix kernel (multiply, LU decomposition with partial pivoting, solve and
 * residual).  Argument N scales both.  Prints with %g, %e and %f.
 */
#include "common.h"
#include <math.h>

#define PI 3.14159265358979323846

static void
fft(double *re, double *im, int n, int inverse)
{
	for (int i = 1, j = 0; i < n; i++) {
		int bit = n >> 1;
		for (; j & bit; bit >>= 1)
			j ^= bit;
		j ^= bit;
		if (i < j) {
			double t = re[i]; re[i] = re[j]; re[j] = t;
			t = im[i]; im[i] = im[j]; im[j] = t;
		}
	}
	for (int len = 2; len <= n; len <<= 1) {
		double ang = 2 * PI / len * (inverse ? 1 : -1);
		double wr = cos(ang), wi = sin(ang);
		for (int i = 0; i < n; i += len) {
			double cr = 1, ci = 0;
			for (int k = 0; k < len / 2; k++) {
				int a = i + k, b = i + k + len / 2;
				double tr = re[b] * cr - im[b] * ci;
				double ti = re[b] * ci + im[b] * cr;
				re[b] = re[a] - tr;
				im[b] = im[a] - ti;
				re[a] += tr;
				im[a] += ti;
				double ncr = cr * wr - ci * wi;
				ci = cr * wi + ci * wr;
				cr = ncr;
			}
		}
	}
	if (inverse)
		for (int i = 0; i < n; i++) {
			re[i] /= n;
			im[i] /= n;
		}
}

static double re[8192], im[8192], re0[8192], im0[8192];
static double xa[4096], xb[4096], ya[8192], yb[8192];

static void
fft_tests(int n, rng_t *r)
{
	for (int i = 0; i < n; i++) {
		re[i] = re0[i] = (double)((int)rng_below(r, 20001) - 10000) / 1000.0;
		im[i] = im0[i] = sin(0.1 * i) + cos(0.37 * i);
	}
	double e_time = 0, e_freq = 0;
	for (int i = 0; i < n; i++)
		e_time += re[i] * re[i] + im[i] * im[i];
	fft(re, im, n, 0);
	for (int i = 0; i < n; i++)
		e_freq += re[i] * re[i] + im[i] * im[i];
	printf("fft n=%d: X[0] = %.10g%+.10gi, X[1] = %.6e%+.6ei\n", n, re[0], im[0],
	       re[1], im[1]);
	printf("  parseval: %.12g vs %.12g (rel diff %.3e)\n", e_time, e_freq / n,
	       fabs(e_time - e_freq / n) / e_time);
	fft(re, im, n, 1);
	double maxerr = 0;
	for (int i = 0; i < n; i++) {
		double d = fabs(re[i] - re0[i]) + fabs(im[i] - im0[i]);
		if (d > maxerr)
			maxerr = d;
	}
	printf("  round trip max error %.3e\n", maxerr);

	/* convolution of two integer sequences by FFT, against the direct sum */
	int m = n / 2;
	for (int i = 0; i < m; i++) {
		xa[i] = (double)rng_below(r, 100);
		xb[i] = (double)rng_below(r, 100);
	}
	for (int i = 0; i < n; i++) {
		ya[i] = i < m ? xa[i] : 0;
		yb[i] = i < m ? xb[i] : 0;
		re[i] = ya[i];
		im[i] = yb[i];
	}
	fft(re, im, n, 0);
	/* split the two real transforms, multiply, transform back */
	static double pr[8192], pi[8192];
	for (int k = 0; k < n; k++) {
		int nk = (n - k) & (n - 1);
		double ar = (re[k] + re[nk]) / 2, ai = (im[k] - im[nk]) / 2;
		double br = (im[k] + im[nk]) / 2, bi = -(re[k] - re[nk]) / 2;
		pr[k] = ar * br - ai * bi;
		pi[k] = ar * bi + ai * br;
	}
	fft(pr, pi, n, 1);
	u32 h = 0;
	long bad = 0;
	for (int i = 0; i < n - 1; i++) {
		double direct = 0;
		int lo = i - m + 1 < 0 ? 0 : i - m + 1, hi = i < m - 1 ? i : m - 1;
		for (int j = lo; j <= hi; j++)
			direct += xa[j] * xb[i - j];
		long v = lround(pr[i]);
		if ((double)v != direct)
			bad++;
		h = mix32(h, (u32)v);
	}
	printf("  convolution of %d terms: hash %08x, %ld mismatches\n", m, h, bad);
}

static float A[96][96], LU[96][96], bvec[96], xvec[96];
static int piv[96];

static void
matrix_tests(int n, rng_t *r)
{
	static float B[96][96], C[96][96];
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			A[i][j] = (float)((int)rng_below(r, 2001) - 1000) / 250.0f +
				  (i == j ? (float)n : 0.0f);
			B[i][j] = (float)((int)rng_below(r, 2001) - 1000) / 1000.0f;
		}
	double trace = 0;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			float s = 0;
			for (int k = 0; k < n; k++)
				s += A[i][k] * B[k][j];
			C[i][j] = s;
			if (i == j)
				trace += s;
		}
	printf("matrix n=%d: trace(AB) = %.6g, C[0][n-1] = %.7e\n", n, trace,
	       (double)C[0][n - 1]);
	for (int i = 0; i < n; i++) {
		bvec[i] = (float)(i % 7) - 3.0f;
		for (int j = 0; j < n; j++)
			LU[i][j] = A[i][j];
	}
	for (int k = 0; k < n; k++) {
		int p = k;
		for (int i = k + 1; i < n; i++)
			if (fabsf(LU[i][k]) > fabsf(LU[p][k]))
				p = i;
		piv[k] = p;
		if (p != k)
			for (int j = 0; j < n; j++) {
				float t = LU[k][j]; LU[k][j] = LU[p][j]; LU[p][j] = t;
			}
		for (int i = k + 1; i < n; i++) {
			LU[i][k] /= LU[k][k];
			for (int j = k + 1; j < n; j++)
				LU[i][j] -= LU[i][k] * LU[k][j];
		}
	}
	for (int i = 0; i < n; i++)
		xvec[i] = bvec[i];
	for (int k = 0; k < n; k++) {
		float t = xvec[k]; xvec[k] = xvec[piv[k]]; xvec[piv[k]] = t;
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			xvec[i] -= LU[i][j] * xvec[j];
	for (int i = n - 1; i >= 0; i--) {
		for (int j = i + 1; j < n; j++)
			xvec[i] -= LU[i][j] * xvec[j];
		xvec[i] /= LU[i][i];
	}
	double logdet = 0, res = 0;
	for (int i = 0; i < n; i++)
		logdet += log(fabs((double)LU[i][i]));
	for (int i = 0; i < n; i++) {
		float s = 0;
		for (int j = 0; j < n; j++)
			s += A[i][j] * xvec[j];
		res = fmax(res, fabs((double)(s - bvec[i])));
	}
	printf("  log|det A| = %.6f, x[0] = %.7g, x[n-1] = %.7g, max residual %.3e\n",
	       logdet, (double)xvec[0], (double)xvec[n - 1], res);
}

int
main(int argc, char **argv)
{
	long n = arg_long(argc, argv, 1, 10);
	rng_t r = {12345};
	int reps = (int)n;
	for (int rep = 0; rep < reps; rep++) {
		int size = 256 << (rep % 5);
		if (rep < 3 || rep == reps - 1)
			fft_tests(size, &r);
		else {
			fft(re, im, size, rep & 1);
			printf("fft pass %d: %g\n", rep, re[rep]);
		}
	}
	int m = (int)(16 + n * 4);
	if (m > 96)
		m = 96;
	matrix_tests(m, &r);
	printf("%g %g %.3f %e\n", exp(1.0), atan2(1.0, 1.0) * 4, sqrt(2.0), pow(2.0, -30));
	return 0;
}
