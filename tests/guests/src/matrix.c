/*
 * matrix - integer matrix kernels: naive and transposed multiplication,
 * transpose, trace, determinant and inverse modulo a prime by Gaussian
 * elimination, and fast exponentiation of a small matrix.
 * usage: matrix [N]   (N = matrix dimension, default 40)
 */
#include "common.h"
#include <string.h>

#define P 1000003u /* prime modulus for the exact modular algorithms */

static u32
mulmod(u32 a, u32 b)
{
	return (u32)((uint64_t)a * b % P);
}

static u32
powmod(u32 b, u32 e)
{
	u32 r = 1;
	while (e) {
		if (e & 1)
			r = mulmod(r, b);
		b = mulmod(b, b);
		e >>= 1;
	}
	return r;
}

/* modular inverse by the extended Euclidean algorithm */
static u32
invmod(u32 a)
{
	int t = 0, nt = 1;
	int r = (int)P, nr = (int)a;
	while (nr) {
		int q = r / nr, tmp;
		tmp = t - q * nt;
		t = nt;
		nt = tmp;
		tmp = r - q * nr;
		r = nr;
		nr = tmp;
	}
	return (u32)(t < 0 ? t + (int)P : t);
}

static void
mat_mul(const int *a, const int *b, int *c, int n)
{
	memset(c, 0, (size_t)n * n * sizeof(int));
	for (int i = 0; i < n; i++)
		for (int k = 0; k < n; k++) {
			int aik = a[i * n + k];
			const int *brow = b + k * n;
			int *crow = c + i * n;
			for (int j = 0; j < n; j++)
				crow[j] += aik * brow[j];
		}
}

static void
transpose(const int *a, int *t, int n)
{
	/* blocked, to exercise a different access pattern */
	for (int ii = 0; ii < n; ii += 8)
		for (int jj = 0; jj < n; jj += 8)
			for (int i = ii; i < ii + 8 && i < n; i++)
				for (int j = jj; j < jj + 8 && j < n; j++)
					t[j * n + i] = a[i * n + j];
}

static void
mat_mul_bt(const int *a, const int *bt, int *c, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			const int *x = a + i * n, *y = bt + j * n;
			int s = 0;
			for (int k = 0; k < n; k++)
				s += x[k] * y[k];
			c[i * n + j] = s;
		}
}

static u32
mat_checksum(const int *m, int n)
{
	u32 h = 0;
	for (int i = 0; i < n * n; i++)
		h = mix32(h, (u32)m[i]);
	return h;
}

/* determinant mod P; m is destroyed */
static u32
det_mod(u32 *m, int n)
{
	u32 det = 1;
	for (int col = 0; col < n; col++) {
		int piv = -1;
		for (int r = col; r < n; r++)
			if (m[r * n + col]) {
				piv = r;
				break;
			}
		if (piv < 0)
			return 0;
		if (piv != col) {
			for (int j = 0; j < n; j++) {
				u32 t = m[col * n + j];
				m[col * n + j] = m[piv * n + j];
				m[piv * n + j] = t;
			}
			det = (P - det) % P;
		}
		u32 pv = m[col * n + col];
		det = mulmod(det, pv);
		u32 inv = invmod(pv);
		for (int r = col + 1; r < n; r++) {
			u32 f = mulmod(m[r * n + col], inv);
			if (!f)
				continue;
			for (int j = col; j < n; j++)
				m[r * n + j] = (m[r * n + j] + P - mulmod(f, m[col * n + j])) % P;
		}
	}
	return det;
}

/* inverse mod P by Gauss-Jordan on [m | I]; returns 0 if singular */
static int
inverse_mod(const u32 *m, u32 *inv, int n)
{
	int w = 2 * n;
	u32 *aug = malloc((size_t)n * w * sizeof(u32));
	for (int i = 0; i < n; i++)
		for (int j = 0; j < w; j++)
			aug[i * w + j] = j < n ? m[i * n + j] : (j - n == i);
	for (int col = 0; col < n; col++) {
		int piv = col;
		while (piv < n && aug[piv * w + col] == 0)
			piv++;
		if (piv == n) {
			free(aug);
			return 0;
		}
		for (int j = 0; j < w; j++) {
			u32 t = aug[col * w + j];
			aug[col * w + j] = aug[piv * w + j];
			aug[piv * w + j] = t;
		}
		u32 s = powmod(aug[col * w + col], P - 2); /* Fermat inverse */
		for (int j = 0; j < w; j++)
			aug[col * w + j] = mulmod(aug[col * w + j], s);
		for (int r = 0; r < n; r++) {
			if (r == col || aug[r * w + col] == 0)
				continue;
			u32 f = aug[r * w + col];
			for (int j = 0; j < w; j++)
				aug[r * w + j] = (aug[r * w + j] + P - mulmod(f, aug[col * w + j])) % P;
		}
	}
	for (int i = 0; i < n; i++)
		memcpy(inv + i * n, aug + i * w + n, (size_t)n * sizeof(u32));
	free(aug);
	return 1;
}

/* [[1,1],[1,0]]^k mod P gives Fibonacci numbers mod P */
static u32
fib_mod(u32 k)
{
	u32 r[4] = {1, 0, 0, 1}, b[4] = {1, 1, 1, 0}, t[4];
	while (k) {
		if (k & 1) {
			t[0] = (mulmod(r[0], b[0]) + mulmod(r[1], b[2])) % P;
			t[1] = (mulmod(r[0], b[1]) + mulmod(r[1], b[3])) % P;
			t[2] = (mulmod(r[2], b[0]) + mulmod(r[3], b[2])) % P;
			t[3] = (mulmod(r[2], b[1]) + mulmod(r[3], b[3])) % P;
			memcpy(r, t, sizeof(t));
		}
		t[0] = (mulmod(b[0], b[0]) + mulmod(b[1], b[2])) % P;
		t[1] = (mulmod(b[0], b[1]) + mulmod(b[1], b[3])) % P;
		t[2] = (mulmod(b[2], b[0]) + mulmod(b[3], b[2])) % P;
		t[3] = (mulmod(b[2], b[1]) + mulmod(b[3], b[3])) % P;
		memcpy(b, t, sizeof(t));
		k >>= 1;
	}
	return r[1];
}

int
main(int argc, char **argv)
{
	int n = (int)arg_long(argc, argv, 1, 40);
	size_t sz = (size_t)n * n;
	int *a = malloc(sz * sizeof(int)), *b = malloc(sz * sizeof(int));
	int *c = malloc(sz * sizeof(int)), *d = malloc(sz * sizeof(int));
	int *t = malloc(sz * sizeof(int));
	u32 *m = malloc(sz * sizeof(u32)), *inv = malloc(sz * sizeof(u32));
	rng_t r = {31337};
	for (size_t i = 0; i < sz; i++) {
		a[i] = (int)rng_below(&r, 201) - 100;
		b[i] = (int)rng_below(&r, 201) - 100;
	}
	printf("matrix: n=%d\n", n);

	mat_mul(a, b, c, n);
	transpose(b, t, n);
	mat_mul_bt(a, t, d, n);
	int same = memcmp(c, d, sz * sizeof(int)) == 0;
	long long tr = 0;
	int mn = c[0], mx = c[0];
	for (int i = 0; i < n; i++)
		tr += c[i * n + i];
	for (size_t i = 0; i < sz; i++) {
		if (c[i] < mn)
			mn = c[i];
		if (c[i] > mx)
			mx = c[i];
	}
	printf("A*B checksum=%08x trace=%d min=%d max=%d\n", mat_checksum(c, n),
	       (int)tr, mn, mx);
	printf("A*B via transpose agrees: %s\n", same ? "yes" : "NO");
	printf("c[0][0..3] = %d %d %d %d\n", c[0], n > 1 ? c[1] : 0,
	       n > 2 ? c[2] : 0, n > 3 ? c[3] : 0);

	/* (A*B)^T == B^T * A^T */
	int *at = malloc(sz * sizeof(int));
	transpose(a, at, n);
	mat_mul(t, at, d, n);
	transpose(c, a, n); /* a now holds (A*B)^T */
	printf("(AB)^T == B^T A^T: %s\n",
	       memcmp(a, d, sz * sizeof(int)) == 0 ? "yes" : "NO");

	/* determinant and inverse of B mod P */
	for (size_t i = 0; i < sz; i++)
		m[i] = (u32)((b[i] % (int)P + (int)P) % (int)P);
	u32 *work = malloc(sz * sizeof(u32));
	memcpy(work, m, sz * sizeof(u32));
	u32 det = det_mod(work, n);
	printf("det(B) mod %u = %u\n", P, det);
	int ok = inverse_mod(m, inv, n);
	if (ok) {
		/* check B * B^-1 == I (mod P) */
		int ident = 1;
		for (int i = 0; i < n && ident; i++)
			for (int j = 0; j < n; j++) {
				u32 s = 0;
				for (int k = 0; k < n; k++)
					s = (s + mulmod(m[i * n + k], inv[k * n + j])) % P;
				if (s != (u32)(i == j)) {
					ident = 0;
					break;
				}
			}
		u32 h = 0;
		for (size_t i = 0; i < sz; i++)
			h = mix32(h, inv[i]);
		printf("inverse mod P: checksum=%08x B*inv(B)==I: %s\n", h,
		       ident ? "yes" : "NO");
		memcpy(work, inv, sz * sizeof(u32));
		u32 dinv = det_mod(work, n);
		printf("det(inv(B)) * det(B) mod P = %u\n", mulmod(dinv, det));
	} else {
		printf("B is singular mod P\n");
	}

	printf("fib(10^k) mod P:");
	for (u32 k = 1, e = 10; k <= 9; k++, e *= 10)
		printf(" %u", fib_mod(e));
	printf("\n");
	return same ? 0 : 1;
}
