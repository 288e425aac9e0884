/*
 * strings - text processing over a generated document: tokenizing, word
 * frequencies in a chained hash map, sorting words, palindromes, KMP vs
 * naive search, reversal, case mapping, and libc string functions.
 * usage: strings [N]   (N = number of words, default 6000)
 */
#include "common.h"
#include <ctype.h>
#include <string.h>

static const char *const syll[] = {"ka", "ra", "na", "ta", "le", "mo", "si",
				   "do", "ve", "ul", "ab", "ba", "ot", "to",
				   "a", "e", "i", "o"};
#define NSYLL (int)(sizeof(syll) / sizeof(syll[0]))

static size_t
make_word(rng_t *r, char *w)
{
	/* 1..4 syllables; sometimes force a palindrome */
	int ns = 1 + (int)rng_below(r, 4);
	size_t n = 0;
	w[0] = 0;
	for (int i = 0; i < ns; i++) {
		strcat(w, syll[rng_below(r, NSYLL) % (u32)(NSYLL - 4 * (i & 1))]);
	}
	n = strlen(w);
	if (rng_below(r, 9) == 0) {
		for (size_t i = 0; i < n; i++)
			w[2 * n - 1 - i] = w[i];
		n *= 2;
		if (rng_below(r, 2))
			memmove(w + n / 2, w + n / 2 + 1, n / 2), n--;
		w[n] = 0;
	}
	return n;
}

/* ---- chained hash map of word -> count ---- */

struct wnode {
	struct wnode *next;
	int count;
	int first; /* index of first occurrence */
	char word[];
};

#define NBUCKETS 1024
static struct wnode *buckets[NBUCKETS];
static int nunique;

static u32
str_hash(const char *s)
{
	u32 h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void
count_word(const char *w, int idx)
{
	u32 b = str_hash(w) & (NBUCKETS - 1);
	for (struct wnode *n = buckets[b]; n; n = n->next)
		if (strcmp(n->word, w) == 0) {
			n->count++;
			return;
		}
	size_t len = strlen(w);
	struct wnode *n = malloc(sizeof(*n) + len + 1);
	memcpy(n->word, w, len + 1);
	n->count = 1;
	n->first = idx;
	n->next = buckets[b];
	buckets[b] = n;
	nunique++;
}

static int
by_count_then_alpha(const void *a, const void *b)
{
	const struct wnode *x = *(const struct wnode *const *)a;
	const struct wnode *y = *(const struct wnode *const *)b;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->word, y->word);
}

static int
is_palindrome(const char *s, size_t n)
{
	for (size_t i = 0, j = n - 1; i < j; i++, j--)
		if (s[i] != s[j])
			return 0;
	return 1;
}

/* ---- searching ---- */

static int
kmp_count(const char *text, size_t n, const char *pat)
{
	size_t m = strlen(pat);
	int fail[64];
	fail[0] = 0;
	for (size_t i = 1, k = 0; i < m; i++) {
		while (k > 0 && pat[i] != pat[k])
			k = (size_t)fail[k - 1];
		if (pat[i] == pat[k])
			k++;
		fail[i] = (int)k;
	}
	int count = 0;
	for (size_t i = 0, k = 0; i < n; i++) {
		while (k > 0 && text[i] != pat[k])
			k = (size_t)fail[k - 1];
		if (text[i] == pat[k])
			k++;
		if (k == m) {
			count++;
			k = (size_t)fail[k - 1];
		}
	}
	return count;
}

static int
naive_count(const char *text, const char *pat)
{
	int count = 0;
	const char *p = text;
	while ((p = strstr(p, pat)) != NULL) {
		count++;
		p++;
	}
	return count;
}

static void
reverse(char *s, size_t n)
{
	for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
		char t = s[i];
		s[i] = s[j];
		s[j] = t;
	}
}

static void
reverse_words(char *s, size_t len)
{
	reverse(s, len);
	size_t i = 0;
	while (i < len) {
		while (i < len && !isalpha((unsigned char)s[i]))
			i++;
		size_t j = i;
		while (j < len && isalpha((unsigned char)s[j]))
			j++;
		reverse(s + i, j - i);
		i = j;
	}
}

int
main(int argc, char **argv)
{
	int nwords = (int)arg_long(argc, argv, 1, 6000);
	size_t cap = (size_t)nwords * 20 + 1;
	char *text = malloc(cap);
	rng_t r = {4242};
	size_t len = 0;
	char w[40];
	for (int i = 0; i < nwords; i++) {
		size_t k = make_word(&r, w);
		if (i % 11 == 0 && k > 0)
			w[0] = (char)toupper((unsigned char)w[0]);
		memcpy(text + len, w, k);
		len += k;
		u32 sep = rng_below(&r, 16);
		text[len++] = sep == 0 ? '\n' : sep == 1 ? ',' : sep == 2 ? '.' : ' ';
		if (sep == 1 || sep == 2)
			text[len++] = ' ';
	}
	text[len] = 0;
	printf("strings: %d words, %u bytes\n", nwords, (u32)len);
	printf("start: %.50s\n", text);

	/* tokenize a copy with strtok, lowercasing each token */
	char *copy = malloc(len + 1);
	memcpy(copy, text, len + 1);
	int ntok = 0, npal = 0, longest = 0;
	size_t total_len = 0;
	char longest_word[80] = "";
	for (char *t = strtok(copy, " ,.\n"); t; t = strtok(NULL, " ,.\n")) {
		for (char *c = t; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		size_t k = strlen(t);
		total_len += k;
		if (k > 2 && is_palindrome(t, k))
			npal++;
		if ((int)k > longest) {
			longest = (int)k;
			strcpy(longest_word, t);
		}
		count_word(t, ntok);
		ntok++;
	}
	printf("tokens=%d unique=%d palindromes=%d avg_len=%u.%02u\n", ntok,
	       nunique, npal, (u32)(total_len / (size_t)ntok),
	       (u32)(total_len * 100 / (size_t)ntok % 100));
	printf("longest word: %s (%d)\n", longest_word, longest);

	/* top words */
	struct wnode **all = malloc((size_t)nunique * sizeof(*all));
	int k = 0;
	for (int b = 0; b < NBUCKETS; b++)
		for (struct wnode *n = buckets[b]; n; n = n->next)
			all[k++] = n;
	qsort(all, (size_t)nunique, sizeof(*all), by_count_then_alpha);
	printf("top words:");
	for (int i = 0; i < 8 && i < nunique; i++)
		printf(" %s=%d", all[i]->word, all[i]->count);
	printf("\n");
	u32 hs = 0;
	for (int i = 0; i < nunique; i++)
		hs = mix32(hs, str_hash(all[i]->word) + (u32)all[i]->count);
	printf("frequency checksum=%08x\n", hs);

	/* pattern search: KMP must agree with strstr */
	static const char *const pats[] = {"ka", "ana", "tata", "le mo", "abba",
					   "rakara", "o, ", "si. ", "zz"};
	int agree = 1;
	for (unsigned p = 0; p < sizeof(pats) / sizeof(pats[0]); p++) {
		int a = kmp_count(text, len, pats[p]);
		int b = naive_count(text, pats[p]);
		if (a != b)
			agree = 0;
		char shown[16];
		size_t j = 0;
		for (const char *c = pats[p]; *c && j < sizeof(shown) - 3; c++) {
			if (*c == '\n') {
				shown[j++] = '\\';
				shown[j++] = 'n';
			} else {
				shown[j++] = *c;
			}
		}
		shown[j] = 0;
		printf("search \"%s\": %d\n", shown, a);
	}
	printf("kmp agrees with strstr: %s\n", agree ? "yes" : "NO");

	/* reverse the whole text, then each word back: words in reverse order.
	 * Doing that twice restores the original text. */
	memcpy(copy, text, len + 1);
	reverse_words(copy, len);
	printf("reversed words: %.40s\n", copy);
	reverse_words(copy, len);
	int letters_match = memcmp(copy, text, len + 1) == 0;
	printf("reverse round trip: %s\n", letters_match ? "ok" : "FAILED");

	/* character classes and a caesar cipher round trip with memcmp */
	int upper = 0, lower = 0, space = 0, punct = 0;
	for (size_t q = 0; q < len; q++) {
		unsigned char c = (unsigned char)text[q];
		upper += isupper(c) != 0;
		lower += islower(c) != 0;
		space += isspace(c) != 0;
		punct += ispunct(c) != 0;
	}
	printf("upper=%d lower=%d space=%d punct=%d\n", upper, lower, space, punct);
	for (size_t q = 0; q < len; q++) {
		char c = copy[q];
		if (c >= 'a' && c <= 'z')
			copy[q] = (char)('a' + (c - 'a' + 13) % 26);
		else if (c >= 'A' && c <= 'Z')
			copy[q] = (char)('A' + (c - 'A' + 13) % 26);
	}
	printf("rot13: %.40s\n", copy);
	for (size_t q = 0; q < len; q++) {
		char c = copy[q];
		if (c >= 'a' && c <= 'z')
			copy[q] = (char)('a' + (c - 'a' + 13) % 26);
		else if (c >= 'A' && c <= 'Z')
			copy[q] = (char)('A' + (c - 'A' + 13) % 26);
	}
	int rot_ok = memcmp(copy, text, len) == 0;
	printf("rot13 twice equals original: %s\n", rot_ok ? "yes" : "NO");

	/* longest common prefix among the sorted unique words */
	int best_lcp = 0, best_at = 0;
	for (int q = 0; q < nunique; q++)
		all[q]->count = 1; /* reuse: sort purely alphabetically now */
	qsort(all, (size_t)nunique, sizeof(*all), by_count_then_alpha);
	for (int q = 1; q < nunique; q++) {
		int l = 0;
		const char *a = all[q - 1]->word, *b = all[q]->word;
		while (a[l] && a[l] == b[l])
			l++;
		if (l > best_lcp) {
			best_lcp = l;
			best_at = q;
		}
	}
	if (nunique > 1)
		printf("longest common prefix %d: %s / %s\n", best_lcp,
		       all[best_at - 1]->word, all[best_at]->word);
	printf("first=%s last=%s\n", all[0]->word, all[nunique - 1]->word);
	return agree && letters_match && rot_ok ? 0 : 1;
}
