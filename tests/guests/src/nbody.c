/*
 * nbody.c - floating-point training guest: an n-body simulation of the
 * outer planets in double precision (symplectic Euler steps), a
 * Mandelbrot set in single precision, and a table printed with %f, %e and
 * %g.  Argument N scales both (N steps; an N/8-wide Mandelbrot grid).
 */
#include "common.h"
#include <math.h>

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

typedef struct {
	double x, y, z, vx, vy, vz, mass;
} body_t;

static body_t bodies[5] = {
	{0, 0, 0, 0, 0, 0, SOLAR_MASS},
	{4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
	 1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
	 -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
	{8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
	 -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
	 2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
	{1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
	 2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
	 -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
	{1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
	 2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
	 -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

static void
offset_momentum(void)
{
	double px = 0, py = 0, pz = 0;
	for (int i = 0; i < 5; i++) {
		px += bodies[i].vx * bodies[i].mass;
		py += bodies[i].vy * bodies[i].mass;
		pz += bodies[i].vz * bodies[i].mass;
	}
	bodies[0].vx = -px / SOLAR_MASS;
	bodies[0].vy = -py / SOLAR_MASS;
	bodies[0].vz = -pz / SOLAR_MASS;
}

static double
energy(void)
{
	double e = 0;
	for (int i = 0; i < 5; i++) {
		body_t *b = &bodies[i];
		e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
		for (int j = i + 1; j < 5; j++) {
			body_t *c = &bodies[j];
			double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
			e -= b->mass * c->mass / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

static void
advance(double dt)
{
	for (int i = 0; i < 5; i++) {
		body_t *b = &bodies[i];
		for (int j = i + 1; j < 5; j++) {
			body_t *c = &bodies[j];
			double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * sqrt(d2));
			b->vx -= dx * c->mass * mag;
			b->vy -= dy * c->mass * mag;
			b->vz -= dz * c->mass * mag;
			c->vx += dx * b->mass * mag;
			c->vy += dy * b->mass * mag;
			c->vz += dz * b->mass * mag;
		}
	}
	for (int i = 0; i < 5; i++) {
		body_t *b = &bodies[i];
		b->x += dt * b->vx;
		b->y += dt * b->vy;
		b->z += dt * b->vz;
	}
}

/* Mandelbrot in single precision: iteration counts over a w x h grid. */
static u32
mandelbrot(int w, int h, int maxit, long *total)
{
	u32 hsh = 0;
	*total = 0;
	for (int py = 0; py < h; py++) {
		float ci = -1.25f + 2.5f * (float)py / (float)h;
		for (int px = 0; px < w; px++) {
			float cr = -2.0f + 2.75f * (float)px / (float)w;
			float zr = 0, zi = 0;
			int it = 0;
			while (it < maxit && zr * zr + zi * zi <= 4.0f) {
				float t = zr * zr - zi * zi + cr;
				zi = 2.0f * zr * zi + ci;
				zr = t;
				it++;
			}
			*total += it;
			hsh = mix32(hsh, (u32)it);
		}
	}
	return hsh;
}

int
main(int argc, char **argv)
{
	long n = arg_long(argc, argv, 1, 1000);
	offset_momentum();
	printf("nbody %ld steps\n", n);
	printf("energy before: %.9f\n", energy());
	for (long i = 0; i < n; i++) {
		advance(0.01);
		if (n >= 10 && i % (n / 10) == 0)
			printf("  step %6ld: x1 = %+.6e, e = %.12g\n", i, bodies[1].x, energy());
	}
	printf("energy after:  %.9f\n", energy());
	for (int i = 0; i < 5; i++)
		printf("body %d: %10.5f %10.5f %10.5f  v %g %g %g\n", i, bodies[i].x,
		       bodies[i].y, bodies[i].z, bodies[i].vx, bodies[i].vy, bodies[i].vz);

	int w = (int)(n / 40 < 16 ? 16 : n / 40), h = w / 2;
	long total;
	u32 hm = mandelbrot(w, h, 200, &total);
	printf("mandelbrot %dx%d: %ld iterations, hash %08x, mean %.4f\n", w, h, total,
	       hm, (double)total / (double)(w * h));

	/* single precision arithmetic printed through float -> double */
	float s = 0.0f, p = 1.0f;
	for (int i = 1; i <= 30; i++) {
		s += 1.0f / (float)i;
		p *= 1.0f + 1.0f / (float)(i * i);
	}
	printf("harmonic(30) = %.7f, product = %.7g, sqrtf(2) = %.8f\n", (double)s,
	       (double)p, (double)sqrtf(2.0f));
	printf("%g %g %g %e %f\n", 1e-300 * 1e-10, 1.0 / 3.0, -0.0, 123456789.0, 2.5);
	return 0;
}
