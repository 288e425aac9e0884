/*
 * wc - reads all of stdin and reports lines, words and bytes like wc(1),
 * plus the longest line, letter frequencies and a CRC of the input.
 * usage: wc < file
 */
#include "common.h"
#include <ctype.h>
#include <string.h>

int
main(void)
{
	u32 lines = 0, words = 0, bytes = 0, longest = 0, longest_at = 0;
	u32 cur = 0, letters[26], crc = 0xffffffffu;
	int in_word = 0, c;
	char buf[128] = "", line[128];
	u32 linelen_hist[5] = {0};
	memset(letters, 0, sizeof(letters));
	while ((c = getchar()) != EOF) {
		bytes++;
		crc ^= (u32)c;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
		if (isalpha(c))
			letters[tolower(c) - 'a']++;
		if (isspace(c)) {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			words++;
		}
		if (c == '\n') {
			if (cur > longest) {
				longest = cur;
				longest_at = lines + 1;
				memcpy(buf, line, sizeof(buf));
			}
			linelen_hist[cur < 20 ? 0 : cur < 40 ? 1 : cur < 60 ? 2 : cur < 80 ? 3 : 4]++;
			lines++;
			cur = 0;
		} else {
			if (cur < sizeof(line) - 1) {
				line[cur] = (char)c;
				line[cur + 1] = 0;
			}
			cur++;
		}
	}
	printf("%7u %7u %7u\n", lines, words, bytes);
	printf("crc32=%08x\n", crc ^ 0xffffffffu);
	printf("longest line: %u chars (line %u)\n", longest, longest_at);
	printf("  \"%s\"\n", buf);
	printf("line lengths <20:%u <40:%u <60:%u <80:%u >=80:%u\n", linelen_hist[0],
	       linelen_hist[1], linelen_hist[2], linelen_hist[3], linelen_hist[4]);
	/* the five most common letters */
	printf("top letters:");
	for (int k = 0; k < 5; k++) {
		int best = 0;
		for (int i = 1; i < 26; i++)
			if (letters[i] > letters[best])
				best = i;
		if (letters[best] == 0)
			break;
		printf(" %c=%u", 'a' + best, letters[best]);
		letters[best] = 0;
	}
	printf("\n");
	return 0;
}
