/*
 * graph - algorithms on a generated weighted directed graph in CSR form:
 * BFS, Dijkstra with a binary heap, union-find components, topological
 * order of the DAG of forward edges, and Floyd-Warshall on a small subgraph.
 * usage: graph [N]   (N = number of vertices, default 2000)
 */
#include "common.h"
#include <string.h>

#define INF 0x3fffffff

struct graph {
	int nv, ne;
	int *start; /* nv + 1 offsets into dst/w */
	int *dst;
	int *w;
};

static void
build_graph(struct graph *g, int nv, int deg, u32 seed)
{
	rng_t r = {seed};
	int ne = nv * deg;
	int *src = malloc((size_t)ne * sizeof(int));
	int *dst = malloc((size_t)ne * sizeof(int));
	int *w = malloc((size_t)ne * sizeof(int));
	for (int e = 0; e < ne; e++) {
		int u = e % nv;
		/* mostly local edges, some long-range ones */
		int v = (rng_next(&r) & 3) ? (u + 1 + (int)rng_below(&r, 20)) % nv
					   : (int)rng_below(&r, (u32)nv);
		src[e] = u;
		dst[e] = v;
		w[e] = 1 + (int)rng_below(&r, 100);
	}
	/* counting sort of edges by source into CSR */
	g->nv = nv;
	g->ne = ne;
	g->start = calloc((size_t)nv + 1, sizeof(int));
	g->dst = malloc((size_t)ne * sizeof(int));
	g->w = malloc((size_t)ne * sizeof(int));
	for (int e = 0; e < ne; e++)
		g->start[src[e] + 1]++;
	for (int v = 0; v < nv; v++)
		g->start[v + 1] += g->start[v];
	int *fill = malloc((size_t)nv * sizeof(int));
	memcpy(fill, g->start, (size_t)nv * sizeof(int));
	for (int e = 0; e < ne; e++) {
		int p = fill[src[e]]++;
		g->dst[p] = dst[e];
		g->w[p] = w[e];
	}
	free(fill);
	free(src);
	free(dst);
	free(w);
}

static void
bfs(const struct graph *g, int s, int *dist, int *queue)
{
	for (int v = 0; v < g->nv; v++)
		dist[v] = -1;
	int head = 0, tail = 0;
	dist[s] = 0;
	queue[tail++] = s;
	while (head < tail) {
		int u = queue[head++];
		for (int e = g->start[u]; e < g->start[u + 1]; e++) {
			int v = g->dst[e];
			if (dist[v] < 0) {
				dist[v] = dist[u] + 1;
				queue[tail++] = v;
			}
		}
	}
}

/* binary heap of (key, vertex) with decrease-key through a position map */
struct heap {
	int n;
	int *key, *vert, *pos;
};

static void
heap_swap(struct heap *h, int i, int j)
{
	int k = h->key[i], v = h->vert[i];
	h->key[i] = h->key[j];
	h->vert[i] = h->vert[j];
	h->key[j] = k;
	h->vert[j] = v;
	h->pos[h->vert[i]] = i;
	h->pos[h->vert[j]] = j;
}

static void
heap_up(struct heap *h, int i)
{
	while (i > 0 && h->key[(i - 1) / 2] > h->key[i]) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct heap *h, int i)
{
	for (;;) {
		int l = 2 * i + 1, m = i;
		if (l < h->n && h->key[l] < h->key[m])
			m = l;
		if (l + 1 < h->n && h->key[l + 1] < h->key[m])
			m = l + 1;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void
dijkstra(const struct graph *g, int s, int *dist, struct heap *h)
{
	for (int v = 0; v < g->nv; v++) {
		dist[v] = INF;
		h->pos[v] = -1;
	}
	h->n = 0;
	dist[s] = 0;
	h->key[0] = 0;
	h->vert[0] = s;
	h->pos[s] = 0;
	h->n = 1;
	while (h->n > 0) {
		int u = h->vert[0], du = h->key[0];
		h->n--;
		h->pos[u] = -2; /* settled */
		if (h->n > 0) {
			h->key[0] = h->key[h->n];
			h->vert[0] = h->vert[h->n];
			h->pos[h->vert[0]] = 0;
			heap_down(h, 0);
		}
		for (int e = g->start[u]; e < g->start[u + 1]; e++) {
			int v = g->dst[e], nd = du + g->w[e];
			if (nd < dist[v]) {
				dist[v] = nd;
				if (h->pos[v] == -1) {
					int i = h->n++;
					h->key[i] = nd;
					h->vert[i] = v;
					h->pos[v] = i;
					heap_up(h, i);
				} else if (h->pos[v] >= 0) {
					h->key[h->pos[v]] = nd;
					heap_up(h, h->pos[v]);
				}
			}
		}
	}
}

static int
uf_find(int *parent, int x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

int
main(int argc, char **argv)
{
	int nv = (int)arg_long(argc, argv, 1, 2000);
	struct graph g;
	build_graph(&g, nv, 4, 777);
	printf("graph: %d vertices, %d edges\n", g.nv, g.ne);

	int *dist = malloc((size_t)nv * sizeof(int));
	int *queue = malloc((size_t)nv * sizeof(int));

	/* BFS from vertex 0: histogram of hop counts */
	bfs(&g, 0, dist, queue);
	int reach = 0, maxhop = 0;
	u32 hsum = 0;
	for (int v = 0; v < nv; v++) {
		if (dist[v] >= 0) {
			reach++;
			hsum = mix32(hsum, (u32)dist[v]);
			if (dist[v] > maxhop)
				maxhop = dist[v];
		}
	}
	printf("bfs: reachable=%d max_hops=%d checksum=%08x\n", reach, maxhop, hsum);
	int hist[16] = {0};
	for (int v = 0; v < nv; v++)
		if (dist[v] >= 0)
			hist[dist[v] < 15 ? dist[v] : 15]++;
	printf("bfs hops:");
	for (int i = 0; i <= (maxhop < 15 ? maxhop : 15); i++)
		printf(" %d", hist[i]);
	printf("\n");

	/* Dijkstra from a few sources */
	struct heap h;
	h.key = malloc((size_t)nv * sizeof(int));
	h.vert = malloc((size_t)nv * sizeof(int));
	h.pos = malloc((size_t)nv * sizeof(int));
	int nsrc = 8;
	u32 total = 0;
	for (int k = 0; k < nsrc; k++) {
		int s = (int)((long long)k * nv / nsrc);
		dijkstra(&g, s, dist, &h);
		int far = 0, farv = s;
		u32 sum = 0, cs = 0;
		for (int v = 0; v < nv; v++) {
			if (dist[v] < INF) {
				sum += (u32)dist[v];
				cs = mix32(cs, (u32)dist[v]);
				if (dist[v] > far) {
					far = dist[v];
					farv = v;
				}
			}
		}
		total = mix32(total, cs);
		printf("dijkstra from %5d: sum=%u farthest=%d (dist %d) checksum=%08x\n",
		       s, sum, farv, far, cs);
	}
	printf("dijkstra total checksum=%08x\n", total);

	/* undirected components of a sparser graph using only 1/3 of the edges */
	int *parent = malloc((size_t)nv * sizeof(int));
	for (int v = 0; v < nv; v++)
		parent[v] = v;
	for (int u = 0; u < nv; u++)
		for (int e = g.start[u]; e < g.start[u + 1]; e++)
			if (g.w[e] % 3 == 0) {
				int a = uf_find(parent, u), b = uf_find(parent, g.dst[e]);
				if (a != b)
					parent[a < b ? b : a] = a < b ? a : b;
			}
	int comps = 0, biggest = 0;
	int *size = calloc((size_t)nv, sizeof(int));
	for (int v = 0; v < nv; v++) {
		int r = uf_find(parent, v);
		if (r == v)
			comps++;
		if (++size[r] > biggest)
			biggest = size[r];
	}
	printf("components: %d (largest %d)\n", comps, biggest);

	/* topological order (Kahn) of the DAG of edges u -> v with u < v;
	 * longest path length by weight along that order */
	int *indeg = calloc((size_t)nv, sizeof(int));
	for (int u = 0; u < nv; u++)
		for (int e = g.start[u]; e < g.start[u + 1]; e++)
			if (g.dst[e] > u)
				indeg[g.dst[e]]++;
	int head = 0, tail = 0;
	for (int v = 0; v < nv; v++)
		if (indeg[v] == 0)
			queue[tail++] = v;
	for (int v = 0; v < nv; v++)
		dist[v] = 0;
	while (head < tail) {
		int u = queue[head++];
		for (int e = g.start[u]; e < g.start[u + 1]; e++) {
			int v = g.dst[e];
			if (v <= u)
				continue;
			if (dist[u] + g.w[e] > dist[v])
				dist[v] = dist[u] + g.w[e];
			if (--indeg[v] == 0)
				queue[tail++] = v;
		}
	}
	int longest = 0;
	for (int v = 0; v < nv; v++)
		if (dist[v] > longest)
			longest = dist[v];
	printf("dag: ordered=%d longest_path=%d\n", tail, longest);

	/* Floyd-Warshall on the first m vertices */
	int m = nv < 64 ? nv : 64;
	int *fw = malloc((size_t)m * m * sizeof(int));
	for (int i = 0; i < m * m; i++)
		fw[i] = INF;
	for (int i = 0; i < m; i++)
		fw[i * m + i] = 0;
	for (int u = 0; u < m; u++)
		for (int e = g.start[u]; e < g.start[u + 1]; e++)
			if (g.dst[e] < m && g.w[e] < fw[u * m + g.dst[e]])
				fw[u * m + g.dst[e]] = g.w[e];
	for (int k = 0; k < m; k++)
		for (int i = 0; i < m; i++) {
			int dik = fw[i * m + k];
			if (dik == INF)
				continue;
			for (int j = 0; j < m; j++)
				if (dik + fw[k * m + j] < fw[i * m + j])
					fw[i * m + j] = dik + fw[k * m + j];
		}
	u32 fsum = 0;
	int fin = 0;
	for (int i = 0; i < m * m; i++)
		if (fw[i] < INF) {
			fin++;
			fsum = mix32(fsum, (u32)fw[i]);
		}
	printf("floyd-warshall %dx%d: finite=%d checksum=%08x\n", m, m, fin, fsum);
	return 0;
}
