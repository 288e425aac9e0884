/*
 * bignum - arbitrary-precision integer arithmetic.
 *   N!          in base 10^9 limbs (64-bit products, division by 10^9)
 *   2^(8N)      in base 2^32 limbs, converted to decimal by repeated division
 *   fib(10N)    with base 10^9 additions
 *   N digits of pi and of e with the classic integer spigot algorithms
 * usage: bignum [N]   (default 300)
 */
#include "common.h"
#include <string.h>

#define BASE 1000000000u

typedef struct {
	u32 *d; /* little-endian limbs */
	int n;
	int cap;
} big;

static void
big_init(big *b, int cap, u32 v)
{
	b->d = calloc((size_t)cap, sizeof(u32));
	b->cap = cap;
	b->d[0] = v;
	b->n = 1;
}

/* b = b * m for a small m, base 10^9 */
static void
big_mul_small(big *b, u32 m)
{
	uint64_t carry = 0;
	for (int i = 0; i < b->n; i++) {
		uint64_t t = (uint64_t)b->d[i] * m + carry;
		b->d[i] = (u32)(t % BASE);
		carry = t / BASE;
	}
	while (carry) {
		b->d[b->n++] = (u32)(carry % BASE);
		carry /= BASE;
	}
}

/* r = a + b, base 10^9 (r may alias a) */
static void
big_add(big *r, const big *a, const big *b)
{
	int n = a->n > b->n ? a->n : b->n;
	u32 carry = 0;
	for (int i = 0; i < n; i++) {
		u32 s = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
		carry = s >= BASE;
		r->d[i] = carry ? s - BASE : s;
	}
	r->n = n;
	if (carry)
		r->d[r->n++] = 1;
}

/* Render base 10^9 limbs as a decimal string. */
static char *
big_to_dec(const big *b, int *len)
{
	char *s = malloc((size_t)b->n * 9 + 2);
	int k = sprintf(s, "%u", b->d[b->n - 1]);
	for (int i = b->n - 2; i >= 0; i--)
		k += sprintf(s + k, "%09u", b->d[i]);
	*len = k;
	return s;
}

static void
print_number(const char *label, const char *s, int len)
{
	int dsum = 0;
	for (int i = 0; i < len; i++)
		dsum += s[i] - '0';
	if (len <= 60)
		printf("%s = %s\n", label, s);
	else
		printf("%s = %.30s...%s\n", label, s, s + len - 30);
	printf("  digits=%d digit_sum=%d\n", len, dsum);
}

static void
factorial(int n)
{
	big f;
	big_init(&f, n * 3 / 8 + 8, 1); /* log10(n!) < n*log10(n) */
	for (int i = 2; i <= n; i++)
		big_mul_small(&f, (u32)i);
	int len;
	char *s = big_to_dec(&f, &len);
	int zeros = 0;
	while (zeros < len && s[len - 1 - zeros] == '0')
		zeros++;
	char label[32];
	sprintf(label, "%d!", n);
	print_number(label, s, len);
	printf("  trailing_zeros=%d\n", zeros);
	free(s);
	free(f.d);
}

/* 2^e in binary limbs, then to decimal by repeated division by 10^9. */
static void
power_of_two(int e)
{
	int nl = e / 32 + 1;
	u32 *x = calloc((size_t)nl, sizeof(u32));
	x[e / 32] = 1u << (e % 32);
	int top = nl;
	int maxd = nl * 32 / 29 + 2;
	u32 *dec = malloc((size_t)maxd * sizeof(u32));
	int nd = 0;
	while (top > 0) {
		uint64_t rem = 0;
		for (int i = top - 1; i >= 0; i--) {
			uint64_t cur = (rem << 32) | x[i];
			x[i] = (u32)(cur / BASE);
			rem = cur % BASE;
		}
		dec[nd++] = (u32)rem;
		while (top > 0 && x[top - 1] == 0)
			top--;
	}
	big b = {dec, nd, maxd};
	int len;
	char *s = big_to_dec(&b, &len);
	char label[32];
	sprintf(label, "2^%d", e);
	print_number(label, s, len);
	free(s);
	free(dec);
	free(x);
}

static void
fibonacci(int n)
{
	int cap = n / 40 + 4;
	big a, b;
	big_init(&a, cap, 0);
	big_init(&b, cap, 1);
	for (int i = 0; i < n; i++) {
		big_add(&a, &a, &b); /* (a, b) = (b, a + b) via swap below */
		big t = a;
		a = b;
		b = t;
	}
	int len;
	char *s = big_to_dec(&a, &len);
	char label[32];
	sprintf(label, "fib(%d)", n);
	print_number(label, s, len);
	free(s);
	free(a.d);
	free(b.d);
}

/* Rabinowitz-Wagon spigot for pi, with the usual held-digit handling. */
static void
pi_digits(int ndig)
{
	int len = ndig * 10 / 3 + 1;
	u32 *a = malloc((size_t)len * sizeof(u32));
	char *out = malloc((size_t)ndig + 2);
	for (int i = 0; i < len; i++)
		a[i] = 2;
	int nines = 0, predigit = 0, k = 0;
	for (int j = 0; j < ndig; j++) {
		u32 q = 0;
		for (int i = len; i > 0; i--) {
			u32 x = 10 * a[i - 1] + q * (u32)i;
			a[i - 1] = x % (2 * (u32)i - 1);
			q = x / (2 * (u32)i - 1);
		}
		a[0] = q % 10;
		q /= 10;
		if (q == 9) {
			nines++;
		} else if (q == 10) {
			out[k++] = (char)('0' + predigit + 1);
			while (nines) {
				out[k++] = '0';
				nines--;
			}
			predigit = 0;
		} else {
			if (j > 0)
				out[k++] = (char)('0' + predigit);
			predigit = (int)q;
			while (nines) {
				out[k++] = '9';
				nines--;
			}
		}
	}
	out[k++] = (char)('0' + predigit);
	out[k] = 0;
	print_number("pi", out, k);
	free(a);
	free(out);
}

/* e = sum 1/k!: spigot in the mixed radix (1/2, 1/3, ...). */
static void
e_digits(int ndig)
{
	int len = 10;
	/* need len! > 10^(ndig+1): grow len until log10(len!) > ndig + 2 */
	u32 lf = 0; /* log10(len!) * 1000, approximated with integer logs */
	while ((int)(lf / 1000) < ndig + 2) {
		len++;
		u32 v = (u32)len, l = 0;
		while (v >= 10) {
			v /= 10;
			l += 1000;
		}
		lf += l + (v * 1000 - 1000) / 9; /* crude log10 for the leading digit */
	}
	u32 *a = malloc((size_t)(len + 1) * sizeof(u32));
	char *out = malloc((size_t)ndig + 3);
	for (int i = 0; i <= len; i++)
		a[i] = 1;
	out[0] = '2';
	int k = 1;
	for (int j = 0; j < ndig; j++) {
		u32 carry = 0;
		for (int i = len; i >= 2; i--) {
			u32 x = a[i] * 10 + carry;
			a[i] = x % (u32)i;
			carry = x / (u32)i;
		}
		out[k++] = (char)('0' + carry);
	}
	out[k] = 0;
	print_number("e", out, k);
	free(a);
	free(out);
}

int
main(int argc, char **argv)
{
	int n = (int)arg_long(argc, argv, 1, 300);
	printf("bignum: N=%d\n", n);
	factorial(n);
	power_of_two(8 * n);
	fibonacci(10 * n);
	pi_digits(n);
	e_digits(n);
	return 0;
}
