/*
 * sort - several sorting algorithms over the same pseudo-random data.
 * usage: sort [N]   (N = number of elements, default 10000)
 */
#include "common.h"
#include <string.h>

static void
insertion_sort(int *a, int lo, int hi)
{
	for (int i = lo + 1; i <= hi; i++) {
		int v = a[i], j = i - 1;
		while (j >= lo && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void
swap(int *a, int i, int j)
{
	int t = a[i];
	a[i] = a[j];
	a[j] = t;
}

static void
quick_sort(int *a, int lo, int hi)
{
	while (hi - lo > 16) {
		int mid = lo + (hi - lo) / 2;
		/* median of three into a[mid] */
		if (a[mid] < a[lo])
			swap(a, mid, lo);
		if (a[hi] < a[lo])
			swap(a, hi, lo);
		if (a[hi] < a[mid])
			swap(a, hi, mid);
		int pivot = a[mid];
		int i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				swap(a, i, j);
				i++;
				j--;
			}
		}
		/* recurse into the smaller half, loop on the larger */
		if (j - lo < hi - i) {
			quick_sort(a, lo, j);
			lo = i;
		} else {
			quick_sort(a, i, hi);
			hi = j;
		}
	}
	insertion_sort(a, lo, hi);
}

static void
merge_sort(int *a, int *tmp, int lo, int hi)
{
	if (hi - lo < 1)
		return;
	int mid = (lo + hi) >> 1;
	merge_sort(a, tmp, lo, mid);
	merge_sort(a, tmp, mid + 1, hi);
	if (a[mid] <= a[mid + 1])
		return;
	int i = lo, j = mid + 1, k = lo;
	while (i <= mid && j <= hi)
		tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
	while (i <= mid)
		tmp[k++] = a[i++];
	while (j <= hi)
		tmp[k++] = a[j++];
	memcpy(a + lo, tmp + lo, (size_t)(hi - lo + 1) * sizeof(int));
}

static void
sift_down(int *a, int root, int n)
{
	int v = a[root];
	for (;;) {
		int child = 2 * root + 1;
		if (child >= n)
			break;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[child] <= v)
			break;
		a[root] = a[child];
		root = child;
	}
	a[root] = v;
}

static void
heap_sort(int *a, int n)
{
	for (int i = n / 2 - 1; i >= 0; i--)
		sift_down(a, i, n);
	for (int end = n - 1; end > 0; end--) {
		swap(a, 0, end);
		sift_down(a, 0, end);
	}
}

static void
shell_sort(int *a, int n)
{
	static const int gaps[] = {1750, 701, 301, 132, 57, 23, 10, 4, 1};
	int g0 = 1750;
	/* extend Ciura's sequence by x2.25 for large inputs */
	while (g0 * 9 / 4 < n / 2)
		g0 = g0 * 9 / 4;
	for (int gap = g0; gap > 1750; gap = gap * 4 / 9) {
		for (int i = gap; i < n; i++) {
			int v = a[i], j = i;
			while (j >= gap && a[j - gap] > v) {
				a[j] = a[j - gap];
				j -= gap;
			}
			a[j] = v;
		}
	}
	for (unsigned g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		int gap = gaps[g];
		for (int i = gap; i < n; i++) {
			int v = a[i], j = i;
			while (j >= gap && a[j - gap] > v) {
				a[j] = a[j - gap];
				j -= gap;
			}
			a[j] = v;
		}
	}
}

/* LSD radix sort on the bytes of (value ^ sign bit), so negatives sort first. */
static void
radix_sort(int *a, int *tmp, int n)
{
	unsigned count[256];
	int *src = a, *dst = tmp;
	for (int shift = 0; shift < 32; shift += 8) {
		memset(count, 0, sizeof(count));
		for (int i = 0; i < n; i++)
			count[(((unsigned)src[i] ^ 0x80000000u) >> shift) & 0xff]++;
		unsigned sum = 0;
		for (int b = 0; b < 256; b++) {
			unsigned c = count[b];
			count[b] = sum;
			sum += c;
		}
		for (int i = 0; i < n; i++) {
			unsigned b = (((unsigned)src[i] ^ 0x80000000u) >> shift) & 0xff;
			dst[count[b]++] = src[i];
		}
		int *t = src;
		src = dst;
		dst = t;
	}
	/* four passes: the result is back in a */
}

static int
cmp_int(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

static int
is_sorted(const int *a, int n)
{
	for (int i = 1; i < n; i++)
		if (a[i - 1] > a[i])
			return 0;
	return 1;
}

static u32
checksum(const int *a, int n)
{
	u32 h = 0;
	for (int i = 0; i < n; i++)
		h = mix32(h, (u32)a[i]);
	return h;
}

int
main(int argc, char **argv)
{
	int n = (int)arg_long(argc, argv, 1, 10000);
	int *orig = malloc((size_t)n * sizeof(int));
	int *a = malloc((size_t)n * sizeof(int));
	int *tmp = malloc((size_t)n * sizeof(int));
	if (!orig || !a || !tmp) {
		printf("out of memory\n");
		return 1;
	}
	rng_t r = {12345};
	for (int i = 0; i < n; i++) {
		/* mix wide values with many duplicates */
		u32 v = rng_next(&r);
		orig[i] = (i % 3 == 0) ? (int)(v % 1000) - 500 : (int)v;
	}
	printf("sort: n=%d input checksum=%08x\n", n, checksum(orig, n));

	static const char *const names[] = {"quicksort", "mergesort", "heapsort",
					    "shellsort", "radixsort", "qsort"};
	u32 ref = 0;
	int ok = 1;
	for (int alg = 0; alg < 6; alg++) {
		memcpy(a, orig, (size_t)n * sizeof(int));
		switch (alg) {
		case 0:
			quick_sort(a, 0, n - 1);
			break;
		case 1:
			merge_sort(a, tmp, 0, n - 1);
			break;
		case 2:
			heap_sort(a, n);
			break;
		case 3:
			shell_sort(a, n);
			break;
		case 4:
			radix_sort(a, tmp, n);
			break;
		default:
			qsort(a, (size_t)n, sizeof(int), cmp_int);
			break;
		}
		int sorted = is_sorted(a, n);
		u32 c = checksum(a, n);
		if (alg == 0)
			ref = c;
		if (!sorted || c != ref)
			ok = 0;
		printf("%-10s sorted=%s checksum=%08x min=%d max=%d median=%d\n",
		       names[alg], sorted ? "yes" : "NO", c, a[0], a[n - 1],
		       a[n / 2]);
	}

	/* a few order statistics and a run-length summary of duplicates */
	int distinct = n > 0 ? 1 : 0, longest = n > 0 ? 1 : 0, run = 1;
	for (int i = 1; i < n; i++) {
		if (a[i] != a[i - 1]) {
			distinct++;
			run = 1;
		} else if (++run > longest) {
			longest = run;
		}
	}
	printf("distinct=%d longest_run=%d\n", distinct, longest);
	for (int q = 0; q <= 4; q++) {
		int idx = (int)((long long)(n - 1) * q / 4);
		printf("q%d=%d\n", q, a[idx]);
	}
	printf("result: %s\n", ok ? "all algorithms agree" : "MISMATCH");
	return ok ? 0 : 1;
}
