"""Regenerates the polynomial coefficients of ntk-wasm's special functions.

Used once, by hand (needs Python with mpmath; not part of the build or the tests). Each
approximation is a Chebyshev-node interpolant of the target function computed at 60 digits,
converted to monomials and rounded to float64; the script then evaluates every polynomial in
float64 (Horner, as the kernels do) against mpmath and prints the worst relative error in units
of 2^-53. The printed constants are pasted into src/special.ts, assembly/special.ts (ERFCX table,
erf/exp) and assembly/activation.ts (log1p, sin, cos).

Usage: python3 scripts/fit-special.py > /tmp/coeffs.txt
"""
import sys
import mpmath as mp

mp.mp.dps = 60


def fit(f, a, b, deg, center=0):
    """Interpolates f at deg+1 Chebyshev nodes of [a, b]; monomial coefficients in (x - center)."""
    n = deg + 1
    a, b, center = mp.mpf(a), mp.mpf(b), mp.mpf(center)
    xs = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n) for k in range(n)]
    A = mp.matrix([[(x - center) ** j for j in range(n)] for x in xs])
    c = mp.lu_solve(A, mp.matrix([f(x) for x in xs]))
    return [float(c[j]) for j in range(n)]


def horner(cs, s):
    r = 0.0
    for c in reversed(cs):
        r = r * s + c
    return r


def check(name, cs, evalf, ref, xs):
    worst = max(abs((evalf(cs, x) - ref(mp.mpf(x))) / ref(mp.mpf(x))) for x in xs if x != 0)
    print(f'{name}: degree {len(cs) - 1}, worst relative error {float(worst) / 2**-53:.2f} x 2^-53',
          file=sys.stderr)


def emit(name, cs):
    print(f'const {name} = [' + ', '.join(repr(c) for c in cs) + '];')


def grid(a, b, n=3000):
    return [a + (b - a) * k / (n - 1) for k in range(n)]


def limit(f, at0):
    return lambda t: at0 if abs(t) < mp.mpf('1e-25') else f(t)


erfcx = lambda z: mp.exp(z * z) * mp.erfc(z)

# erfcx(z) on [0.5, 32): 16 intervals per binade, indexed by the top 16 bits of z; degree 9 in
# s = z - mid (mid = the interval's midpoint, obtained from z's bits).
rows, worst = [], 0
for e in range(-1, 5):
    for j in range(16):
        a = mp.mpf(2) ** e * (1 + mp.mpf(j) / 16)
        b = mp.mpf(2) ** e * (1 + mp.mpf(j + 1) / 16)
        mid = mp.mpf(2) ** e * (1 + mp.mpf(2 * j + 1) / 32)
        cs = fit(erfcx, a, b, 9, mid)
        rows.append(cs)
        for z in grid(float(a), float(b) - 2 ** -40, 150):
            worst = max(worst, abs((horner(cs, z - float(mid)) - erfcx(mp.mpf(z))) / erfcx(mp.mpf(z))))
print(f'erfcx table: worst relative error {float(worst) / 2**-53:.2f} x 2^-53', file=sys.stderr)
print('const ERFCX = [')
for cs in rows:
    print('  ' + ', '.join(repr(c) for c in cs) + ',')
print('];')

# erf(x) = x + x R(x^2), |x| < 1.
R = limit(lambda t: mp.erf(mp.sqrt(t)) / mp.sqrt(t) - 1, 2 / mp.sqrt(mp.pi) - 1)
cs = fit(R, 0, 1, 11)
check('erf small', cs, lambda c, x: x + x * horner(c, x * x), mp.erf, grid(0, 1))
emit('ERF_SMALL', cs)

# e^r = 1 + r + r^2 Q(r), |r| <= ln2/2 (+ slack for the rounding of k and the low part).
Q = limit(lambda r: (mp.exp(r) - 1 - r) / r ** 2, mp.mpf(1) / 2)
cs = fit(Q, -0.3468, 0.3468, 9)
check('exp', cs, lambda c, r: 1 + (r + r * r * horner(c, r)), mp.exp, grid(-0.3468, 0.3468))
emit('EXP_Q', cs)

# log((1+s)/(1-s)) = 2 atanh(s) = 2s + s w B(w), w = s^2 <= 1/9: with s = u/(2+u) this is
# log1p(u) for u in (-1/2, 0], which the shifted softplus needs (u = expm1(-|x|)/2).
B = limit(lambda w: (2 * mp.atanh(mp.sqrt(w)) - 2 * mp.sqrt(w)) / (mp.sqrt(w) * w), mp.mpf(2) / 3)
cs = fit(B, 0, 0.1112, 11)
check('log1p', cs, lambda c, u: 2 * (u / (2 + u)) + (u / (2 + u)) * ((u / (2 + u)) ** 2 * horner(c, (u / (2 + u)) ** 2)),
      mp.log1p, grid(-0.5, -1e-9))
emit('LOG1P_B', cs)

# sin r = r + r w S(w), cos r = 1 - w/2 + w^2 C(w), w = r^2, |r| <= pi/4 (+ slack).
RM = 0.7854
S = limit(lambda w: (mp.sin(mp.sqrt(w)) / mp.sqrt(w) - 1) / w, -mp.mpf(1) / 6)
cs = fit(S, 0, RM ** 2, 6)
check('sin', cs, lambda c, r: r + r * (r * r * horner(c, r * r)), mp.sin, grid(0, RM))
emit('SIN_S', cs)
C = limit(lambda w: (mp.cos(mp.sqrt(w)) - 1 + w / 2) / w ** 2, mp.mpf(1) / 24)
cs = fit(C, 0, RM ** 2, 6)
check('cos', cs, lambda c, r: 1 - r * r / 2 + (r * r) ** 2 * horner(c, r * r), mp.cos, grid(0, RM))
emit('COS_C', cs)
