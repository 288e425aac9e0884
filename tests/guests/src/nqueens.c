/*
 * nqueens - backtracking search: N-queens solution counts (bitmask
 * recursion and a plain array version as a cross-check), and a sudoku
 * solver on fixed puzzles.
 * usage: nqueens [N]   (N = largest board size, default 9)
 */
#include "common.h"
#include <string.h>

static u32 nodes;

static int
queens_bits(int n, unsigned cols, unsigned d1, unsigned d2)
{
	unsigned full = (1u << n) - 1;
	if (cols == full)
		return 1;
	int count = 0;
	unsigned avail = full & ~(cols | d1 | d2);
	while (avail) {
		unsigned bit = avail & (0u - avail);
		avail ^= bit;
		nodes++;
		count += queens_bits(n, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
	}
	return count;
}

static int board[32];

static int
safe(int row, int col)
{
	for (int r = 0; r < row; r++) {
		int c = board[r];
		if (c == col || c - col == r - row || c - col == row - r)
			return 0;
	}
	return 1;
}

static int
queens_array(int n, int row, int *first)
{
	if (row == n) {
		if (first[0] < 0)
			memcpy(first, board, (size_t)n * sizeof(int));
		return 1;
	}
	int count = 0;
	for (int c = 0; c < n; c++) {
		if (safe(row, c)) {
			board[row] = c;
			count += queens_array(n, row + 1, first);
		}
	}
	return count;
}

/* ---- sudoku ---- */

static int grid[81];
static u32 sudoku_steps;

static int
can_place(int pos, int v)
{
	int r = pos / 9, c = pos % 9;
	for (int i = 0; i < 9; i++) {
		if (grid[r * 9 + i] == v || grid[i * 9 + c] == v)
			return 0;
	}
	int br = r / 3 * 3, bc = c / 3 * 3;
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++)
			if (grid[(br + i) * 9 + bc + j] == v)
				return 0;
	return 1;
}

static int
solve(int pos)
{
	while (pos < 81 && grid[pos])
		pos++;
	if (pos == 81)
		return 1;
	for (int v = 1; v <= 9; v++) {
		sudoku_steps++;
		if (can_place(pos, v)) {
			grid[pos] = v;
			if (solve(pos + 1))
				return 1;
			grid[pos] = 0;
		}
	}
	return 0;
}

static const char *const puzzles[] = {
	"530070000600195000098000060800060003400803001700020006060000280000419005000080079",
	"000000907000420180000705026100904000050000040000507009920108000034059000507000000",
	"800000000003600000070090200050007000000045700000100030001000068008500010090000400",
};

int
main(int argc, char **argv)
{
	int maxn = (int)arg_long(argc, argv, 1, 9);
	if (maxn > 16)
		maxn = 16;
	printf("nqueens: boards 1..%d\n", maxn);
	for (int n = 1; n <= maxn; n++) {
		nodes = 0;
		int a = queens_bits(n, 0, 0, 0);
		int first[32];
		first[0] = -1;
		int b = n <= 9 ? queens_array(n, 0, first) : a;
		printf("n=%2d solutions=%6d nodes=%8u %s", n, a, nodes,
		       a == b ? "ok" : "MISMATCH");
		if (n <= 9 && first[0] >= 0) {
			printf(" first:");
			for (int i = 0; i < n; i++)
				printf(" %d", first[i]);
		}
		printf("\n");
	}

	int npuz = maxn >= 12 ? 3 : 2;
	for (int p = 0; p < npuz; p++) {
		for (int i = 0; i < 81; i++)
			grid[i] = puzzles[p][i] - '0';
		sudoku_steps = 0;
		int ok = solve(0);
		printf("sudoku %d: %s after %u steps\n", p, ok ? "solved" : "no solution",
		       sudoku_steps);
		if (ok) {
			for (int r = 0; r < 9; r++) {
				printf("  ");
				for (int c = 0; c < 9; c++)
					printf("%d%s", grid[r * 9 + c], c % 3 == 2 && c < 8 ? " | " : " ");
				printf("\n");
			}
		}
		/* verify the solution: each row, column and box is a permutation */
		int valid = ok;
		for (int u = 0; u < 9 && valid; u++) {
			unsigned rm = 0, cm = 0, bm = 0;
			for (int i = 0; i < 9; i++) {
				rm |= 1u << grid[u * 9 + i];
				cm |= 1u << grid[i * 9 + u];
				bm |= 1u << grid[(u / 3 * 3 + i / 3) * 9 + u % 3 * 3 + i % 3];
			}
			valid = rm == 0x3fe && cm == 0x3fe && bm == 0x3fe;
		}
		printf("  valid: %s\n", valid ? "yes" : "no");
	}
	return 0;
}
