#!/usr/bin/env python3
"""Independent float64 reference data for ntk-wasm's tests (test/data/reference/).

This program shares no code with ntk-wasm: it recomputes every number in the reference files
from the explicit inputs stored in them (X, W, v, the activation, sigma0 / nu0sq, sv2), with
numpy and scipy, and with torch autograd for the Jacobian when torch is importable.
The formulas are those of docs/conventions.md; README.md beside this file documents each field.

    python3 generate.py --check            recompute everything, compare field by field with the
                                           stored files, exit 1 if a field is off tolerance
    python3 generate.py --check --deep     also cross-check Gaussian expectations with nested
                                           adaptive scipy quadrature (slower)
    python3 generate.py --write [--out D]  rewrite every file from its stored inputs (into D)
    python3 generate.py --new-case S.json  add a network case described by S.json (see README)

Methods, chosen to be independent of the library's:
  * Jacobian: torch.func.jacrev of the forward map when torch is present; otherwise forward-mode
    differentiation in numpy (one tangent per parameter pushed through the layers), which never
    forms the backward matrices B_l nor the Hadamard-product formula. K = J J^T is compared with
    the layerwise formula sum_l (A_{l-1} A_{l-1}^T / m_{l-1}) o (B_l B_l^T) + A_L A_L^T / m_L.
  * One-dimensional Gaussian expectations: trapezoid rule on a uniform grid in standard units.
  * Pairwise expectations E[f(u) g(u')]: the generalised Mehler series with trapezoid
    coefficients where its Cauchy-Schwarz tail bound is below 1e-17, otherwise a 2-D trapezoid
    rule in whitened coordinates (exact for rho = 1); both are evaluated for every pair and their
    largest disagreement is reported. --deep adds nested adaptive scipy.integrate.quad.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile

try:
    import numpy as np
    from scipy import integrate, optimize, special
except ImportError as missing:  # pragma: no cover
    sys.exit(f'generate.py needs numpy and scipy ({missing}): apt-get install python3-numpy '
             'python3-scipy, or pip install numpy scipy')

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------------------------
# Activations: phi, phi' (the six the project supports; see docs/conventions.md).
# ---------------------------------------------------------------------------------------------
SQRT2 = math.sqrt(2.0)
LOG2 = math.log(2.0)


def _sigmoid(x):
    return special.expit(x)


ACTIVATIONS = {
    'tanh': (np.tanh, lambda x: 1.0 / np.cosh(x) ** 2),
    'sigmoid': (_sigmoid, lambda x: _sigmoid(x) * _sigmoid(-x)),
    'erf': (special.erf, lambda x: 2.0 / math.sqrt(math.pi) * np.exp(-x * x)),
    'gelu': (lambda x: x * special.ndtr(x),
             lambda x: special.ndtr(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)),
    'softplus': (lambda x: np.logaddexp(0.0, x) - LOG2, _sigmoid),
    'sin': (np.sin, np.cos),
}

ACTIVATION_NOTES = {
    'tanh': "phi(0)=0, |phi'|<=1 (max 1 at 0)",
    'sigmoid': "phi(0)=1/2 != 0 (violates the phi(0)=0 hypothesis of Thm 4.1/4.2), |phi'|<=1/4",
    'erf': "phi(0)=0, but max|phi'| = 2/sqrt(pi) ~ 1.128 > 1 (not 1-Lipschitz as Assumption 1 asks)",
    'gelu': "exact GELU x Phi(x); phi(0)=0, max|phi'| ~ 1.13 > 1 (not 1-Lipschitz)",
    'softplus': "log(1+e^x) - log 2 (shifted so phi(0)=0), |phi'|<=1",
    'sin': "phi(0)=0, |phi'|<=1",
}

CONVENTIONS_TEXT = (
    "Paper eq. (1): h_l = W_l alpha_{l-1}/sqrt(m_{l-1}), alpha_l = phi(h_l), alpha_0 = x, "
    "f = v.alpha_L/sqrt(m_L). W[l-1] is W_l given as m_l rows of length m_{l-1}. X rows are "
    "samples. K = J J^T with theta = (vec W_1, ..., vec W_L, v). Infinite-width NTK: "
    "Sigma_1 = nu0sq X X^T/d, Theta_1 = X X^T/d, Theta_{l+1} = E_l + nu0sq Ed_l o Theta_l, "
    "Sigma_{l+1} = nu0sq E_l, Theta_f = E_L + sv2 Ed_L o Theta_L (E = E[phi phi], "
    "Ed = E[phi' phi'] under N(0, 2x2 block of Sigma_l)).")

THEOREM_NOTE = (
    "c0^{(l,r)} = ((mu_{r,0}^{(l)})^2/(6c))^l (sigma0^2/2)^{3rl}, l = L-1, mu_{r,0}^{(l)}^2 = "
    "min_i mu_r^{[c_{l,i}^2 nu0^2]}(phi)^2 with c_{l,i} = ||alpha_l(x_i)||/sqrt(m_l) "
    "(alpha_0 = x); c0 = max over r = 2..30. bound_c0_lambda1 is the Theorem 4.1 statement; "
    "bound_c0_lambda1_over_4 keeps Lemma 4.1's factor 1/4.")

NET_TOLERANCES = {
    "K_entries_rel_to_max_abs": 1e-12,
    "lambda_min_abs_rel_to_lambda_max": 1e-11,
    "inf_width_rel": 1e-12,
    "inf_width_note": (
        "values computed to ~1e-15 (generalised Mehler series / uniform trapezoid); a 2-D "
        "Gauss-Hermite rule with 64-128 nodes only reaches 1e-4..1e-9 when the pre-activation "
        "variance is 2-4 (tanh, erf), so loosen to ~1e-6 if you use one"),
    "c_rel": 1e-13,
}

R_THEOREM = 30          # c0 = max over r = 2..R_THEOREM
R_TABLE = 10            # r = 0..10 in the stored tables

# ---------------------------------------------------------------------------------------------
# One-dimensional Gaussian expectations: uniform trapezoid in standard units.
# ---------------------------------------------------------------------------------------------
Z_MAX = 12.0


def trap_grid(h=0.05, zmax=Z_MAX):
    """Nodes z and weights w with sum_k w_k g(z_k) ~ E_{z~N(0,1)}[g(z)] (geometric convergence)."""
    k = int(round(zmax / h))
    z = h * np.arange(-k, k + 1, dtype=np.float64)
    w = h * np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return z, w


def step_for_variance(a):
    """Trapezoid step: tanh-like poles sit at distance ~pi/(2 sqrt a) from the real axis in
    standard units; the error is ~exp(-2 pi dist / h), so the step shrinks with sqrt(a)."""
    return min(0.05, 0.125 / math.sqrt(max(a, 1e-300)))


def gauss_mean(g, a):
    """E_{x~N(0,a)}[g(x)]."""
    z, w = trap_grid(step_for_variance(a))
    return float(np.dot(w, g(math.sqrt(a) * z)))


def hermite_orthonormal(R, z):
    """P[r, k] = He_r(z_k) / sqrt(r!), r = 0..R (stable normalised three-term recurrence)."""
    P = np.empty((R + 1, z.size))
    P[0] = 1.0
    if R >= 1:
        P[1] = z
    for r in range(1, R):
        P[r + 1] = (z * P[r] - math.sqrt(r) * P[r - 1]) / math.sqrt(r + 1)
    return P


def orthonormal_coeffs(g, avec, R):
    """b_r(a) = E_{x~N(0,a)}[g(x) He_r(x/sqrt a)/sqrt(r!)] for each a in avec, r = 0..R.

    Returns (b of shape len(avec) x (R+1), E[g^2] per a)."""
    avec = np.atleast_1d(np.asarray(avec, dtype=np.float64))
    h = min(step_for_variance(float(np.max(avec))), 0.05)
    z, w = trap_grid(h)
    P = hermite_orthonormal(R, z)
    G = g(np.sqrt(avec)[:, None] * z[None, :])          # len(a) x nodes
    b = (G * w) @ P.T
    e2 = (G * G) @ w
    return b, e2


def coeff_convention(b, a, r, convention):
    """Turn orthonormal b_r(a) into the 'expand' or 'weighted_literal' convention."""
    if convention == 'orthonormal':
        return b
    if convention == 'expand':
        return a ** (r / 2.0) * b
    if convention == 'weighted_literal':
        return a ** (-r / 2.0) * b
    raise ValueError(convention)


def c_phi(phi, sigma0):
    """c_{phi,sigma0} = E_{z~N(0,sigma0^2)}[phi(z)^2]."""
    return gauss_mean(lambda x: phi(x) ** 2, sigma0 * sigma0)


# ---------------------------------------------------------------------------------------------
# Pairwise expectations E[f(u) g(u')], (u,u') ~ N(0, [[a, s], [s, b]]).
# ---------------------------------------------------------------------------------------------
def whiten(a, b, s):
    """(sa, c, st) with u = sa z1, u' = c z1 + st z2 for independent standard z1, z2."""
    sa = math.sqrt(a)
    c = s / sa
    return sa, c, math.sqrt(max(b - c * c, 0.0))


def pair_trapezoid(f, g, a, b, s, h=None, zmax=10.0):
    """2-D uniform trapezoid in whitened coordinates u = sqrt(a) z1,
    u' = (s/sqrt a) z1 + sqrt(b - s^2/a) z2: smooth for every |rho| <= 1, exact at rho = 1."""
    if h is None:
        h = min(0.1, 0.2 / math.sqrt(max(a, b)))
    z, w = trap_grid(h, zmax)
    sa, c, st = whiten(a, b, s)
    F = f(sa * z)                                        # outer
    inner = g(c * z[:, None] + st * z[None, :]) @ w      # E_{z2}[g(c z1 + st z2)]
    return float(np.dot(w, F * inner))


def pair_matrix(g, S, R=120, tol=1e-17):
    """E[g(u_i) g(u_j)] over the 2x2 blocks of the covariance S (n x n).

    Generalised Mehler series sum_r b_r(S_ii) b_r(S_jj) rho_ij^r with trapezoid coefficients where
    the Cauchy-Schwarz bound |rho|^{R+1} sqrt(tail_i tail_j) on the remainder is below tol; the
    whitened 2-D trapezoid elsewhere; 1-D trapezoid on the diagonal. Returns (M, info) with
    info = {'mehler_pairs', 'trapezoid_pairs', 'max_abs_mehler_vs_trapezoid'}."""
    n = S.shape[0]
    diag = np.diag(S).copy()
    b, e2 = orthonormal_coeffs(g, diag, R)
    tail = np.maximum(e2 - np.sum(b * b, axis=1), 0.0)
    M = np.empty((n, n))
    used_m = used_t = 0
    worst = 0.0
    for i in range(n):
        M[i, i] = e2[i]
        for j in range(i + 1, n):
            rho = S[i, j] / math.sqrt(diag[i] * diag[j])
            rho = max(-1.0, min(1.0, rho))
            powers = rho ** np.arange(R + 1)
            series = float(np.sum(b[i] * b[j] * powers))
            bound = abs(rho) ** (R + 1) * math.sqrt(tail[i] * tail[j])
            trap = pair_trapezoid(g, g, diag[i], diag[j], S[i, j])
            if bound < tol:
                M[i, j] = series
                used_m += 1
                worst = max(worst, abs(series - trap))
            else:
                M[i, j] = trap
                used_t += 1
            M[j, i] = M[i, j]
    return M, {'mehler_pairs': used_m, 'trapezoid_pairs': used_t,
               'max_abs_mehler_vs_trapezoid': worst}


def pair_gauss_hermite(g, a, b, s, nodes):
    """2-D Gauss-Hermite (probabilists') rule, only to show its error next to the trapezoid."""
    z, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / math.sqrt(2 * math.pi)
    sa, c, st = whiten(a, b, s)
    return float(w @ (g(sa * z) * (g(c * z[:, None] + st * z[None, :]) @ w)))


def pair_quad(f, g, a, b, s):
    """Nested adaptive scipy quad in whitened coordinates (the --deep cross-check)."""
    sa, c, st = whiten(a, b, s)
    pdf = lambda z: math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)

    def inner(z1):
        if st == 0.0:
            return float(g(np.array(c * z1)))
        val, _ = integrate.quad(lambda z2: float(g(np.array(c * z1 + st * z2))) * pdf(z2),
                                -12, 12, epsabs=1e-15, epsrel=1e-14, limit=200)
        return val

    val, _ = integrate.quad(lambda z1: float(f(np.array(sa * z1))) * inner(z1) * pdf(z1),
                            -12, 12, epsabs=1e-15, epsrel=1e-14, limit=200)
    return val


# ---------------------------------------------------------------------------------------------
# The network (eq. (1)), its Jacobian and the empirical NTK.
# ---------------------------------------------------------------------------------------------
def forward(phi, X, Ws, v):
    """H[l] = pre-activations of layer l+1 (n x m_{l+1}), A[l] = alpha_l (A[0] = X), f."""
    A = [X]
    H = []
    for W in Ws:
        h = A[-1] @ W.T / math.sqrt(A[-1].shape[1])
        H.append(h)
        A.append(phi(h))
    f = A[-1] @ v / math.sqrt(A[-1].shape[1])
    return H, A, f


def backward_B(dphi, H, Ws, v):
    """B_l, row i = df/dh_l(x_i): B_L = phi'(H_L) o v^T / sqrt(m_L),
    B_l = phi'(H_l) o (B_{l+1} W_{l+1}) / sqrt(m_l)."""
    L = len(Ws)
    B = [None] * L
    B[L - 1] = dphi(H[L - 1]) * v[None, :] / math.sqrt(H[L - 1].shape[1])
    for l in range(L - 2, -1, -1):
        B[l] = dphi(H[l]) * (B[l + 1] @ Ws[l + 1]) / math.sqrt(H[l].shape[1])
    return B


def layerwise_terms(A, B):
    """The L+1 n x n terms of K: (A_{l-1} A_{l-1}^T/m_{l-1}) o (B_l B_l^T), then A_L A_L^T/m_L."""
    terms = [(A[l] @ A[l].T / A[l].shape[1]) * (B[l] @ B[l].T) for l in range(len(B))]
    terms.append(A[-1] @ A[-1].T / A[-1].shape[1])
    return terms


def jacobian_numpy(phi, dphi, X, Ws, v):
    """Forward-mode Jacobian, n x p, columns vec(W_1) row-major, ..., vec(W_L), v.

    For each sample, one tangent per parameter of W_l is pushed forward through layers l..L
    (dh_l = e_a alpha_{l-1,b}/sqrt(m_{l-1}); dh_{k+1} = W_{k+1} (phi'(h_k) o dh_k)/sqrt(m_k);
    df = v . (phi'(h_L) o dh_L)/sqrt(m_L)). No backward pass and no Hadamard formula."""
    n = X.shape[0]
    L = len(Ws)
    H, A, _ = forward(phi, X, Ws, v)
    cols = []
    for l in range(L):
        m_out, m_in = Ws[l].shape
        Jl = np.empty((n, m_out * m_in))
        for i in range(n):
            # dh_l for every parameter (a, b): m_out x (m_out*m_in), column a*m_in+b = e_a * x_b
            T = np.zeros((m_out, m_out, m_in))
            T[np.arange(m_out), np.arange(m_out), :] = A[l][i][None, :] / math.sqrt(m_in)
            T = T.reshape(m_out, m_out * m_in)
            for k in range(l, L):
                T = dphi(H[k][i])[:, None] * T            # d alpha_k
                if k + 1 < L:
                    T = Ws[k + 1] @ T / math.sqrt(Ws[k].shape[0])
            Jl[i] = v @ T / math.sqrt(Ws[-1].shape[0])
        cols.append(Jl)
    cols.append(A[-1] / math.sqrt(A[-1].shape[1]))
    return np.concatenate(cols, axis=1)


def jacobian_torch(activation, X, Ws, v):
    """Full Jacobian by torch.func.jacrev (reverse-mode autodiff), same column order."""
    import torch  # noqa: PLC0415 (optional dependency)
    tphi = {'tanh': torch.tanh, 'sigmoid': torch.sigmoid, 'erf': torch.erf,
            'gelu': lambda x: torch.nn.functional.gelu(x, approximate='none'),
            'softplus': lambda x: torch.nn.functional.softplus(x) - math.log(2.0),
            'sin': torch.sin}[activation]
    Xt = torch.tensor(X, dtype=torch.float64)
    shapes = [W.shape for W in Ws]
    theta = torch.tensor(np.concatenate([W.ravel() for W in Ws] + [v]), dtype=torch.float64)

    def net(th):
        a, off = Xt, 0
        for (mo, mi) in shapes:
            W = th[off:off + mo * mi].reshape(mo, mi)
            off += mo * mi
            a = tphi(a @ W.T / math.sqrt(mi))
        return a @ th[off:] / math.sqrt(a.shape[1])

    return torch.func.jacrev(net)(theta).detach().numpy()


def jacobian(activation, phi, dphi, X, Ws, v):
    try:
        import torch  # noqa: F401,PLC0415
    except ImportError:
        return jacobian_numpy(phi, dphi, X, Ws, v), 'numpy forward-mode chain rule'
    return jacobian_torch(activation, X, Ws, v), 'torch.func.jacrev'


def lam_min(M):
    return float(np.linalg.eigvalsh(M)[0])



# ---------------------------------------------------------------------------------------------
# A network case.
# ---------------------------------------------------------------------------------------------
def lam_max(M):
    return float(np.linalg.eigvalsh(M)[-1])


def erf_pair_closed(S):
    """erf's arcsine kernel and its derivative kernel over the 2x2 blocks of S."""
    q = np.sqrt(np.outer(1 + 2 * np.diag(S), 1 + 2 * np.diag(S)))
    return (2 / math.pi) * np.arcsin(np.clip(2 * S / q, -1, 1)), \
        (4 / math.pi) / np.sqrt(q * q - 4 * S * S)


def quad_spot_check(g, S, M):
    """Nested adaptive quadrature on three entries of M = E[g g] (largest |rho| < 1, smallest,
    first off-diagonal); returns the largest |quad - M| over them."""
    n = S.shape[0]
    if n < 2:
        return 0.0
    rho = S / np.sqrt(np.outer(np.diag(S), np.diag(S)))
    iu = [(i, j) for i in range(n) for j in range(i + 1, n) if abs(rho[i, j]) < 1 - 1e-12]
    if not iu:
        return 0.0
    picks = {max(iu, key=lambda p: abs(rho[p])), min(iu, key=lambda p: abs(rho[p])), iu[0]}
    return max(abs(pair_quad(g, g, S[i, i], S[j, j], S[i, j]) - M[i, j]) for i, j in picks)


class Net:
    """Everything computed for one network case: the fields of `expected`, the scale each
    eigenvalue field is measured against, and the arrays behind the .npy files."""

    def __init__(self, expected, scales, arrays):
        self.expected = expected
        self.scales = scales
        self.arrays = arrays


def compute_net(inputs, intermediates, log, deep=False):
    act = inputs['activation']
    if act not in ACTIVATIONS:
        raise ValueError(f'inputs.activation: {act!r} is not one of {sorted(ACTIVATIONS)}')
    phi, dphi = ACTIVATIONS[act]
    X = np.array(inputs['X'], dtype=np.float64)
    Ws = [np.array(W, dtype=np.float64) for W in inputs['W']]
    v = np.array(inputs['v'], dtype=np.float64)
    n, d = X.shape
    L = len(Ws)
    widths = [W.shape[0] for W in Ws]
    prev = d
    for l, W in enumerate(Ws):
        if W.shape[1] != prev:
            raise ValueError(f'inputs.W[{l}] has {W.shape[1]} columns; layer {l + 1} needs {prev}')
        prev = W.shape[0]
    if v.shape != (prev,):
        raise ValueError(f'inputs.v has length {v.size}; it must be m_L = {prev}')
    if np.any(np.all(X == 0, axis=1)):
        raise ValueError('inputs.X has a zero row: its pre-activation variance is 0 (drop it)')
    for key, want in (('n', n), ('d', d), ('L', L), ('widths', widths)):
        if key in inputs and inputs[key] != want:
            raise ValueError(f'inputs.{key} = {inputs[key]} but the arrays give {want}')
    sigma0 = inputs.get('sigma0')
    nu0sq = float(inputs['nu0sq'])
    sv2 = float(inputs['sv2'])
    e = {}
    sc = {}
    c = None
    if sigma0 is not None:
        c = c_phi(phi, sigma0)
        e['c'] = c
        e['nu0sq'] = sigma0 * sigma0 / c
        if abs(e['nu0sq'] - nu0sq) > 1e-13 * nu0sq:
            raise ValueError(f'inputs.nu0sq = {nu0sq} but sigma0^2/c = {e["nu0sq"]}')
    else:
        e['c'] = None
        e['nu0sq'] = nu0sq

    H, A, f = forward(phi, X, Ws, v)
    B = backward_B(dphi, H, Ws, v)
    terms = layerwise_terms(A, B)
    K_layer = sum(terms)
    J, how = jacobian(act, phi, dphi, X, Ws, v)
    K = J @ J.T
    jac_diff = float(np.max(np.abs(K - K_layer)) / np.max(np.abs(K_layer)))
    log(f'    K: J J^T ({how}, {J.shape[0]} x {J.shape[1]}) vs layerwise formula: '
        f'max |diff| / max |K| = {jac_diff:.1e}')
    ev = np.linalg.eigvalsh(K)
    e['f'] = f
    e['K'] = K
    e['K_trace'] = float(np.trace(K))
    e['K_diag'] = np.diag(K).copy()
    e['K_frobenius'] = float(np.linalg.norm(K))
    e['K_term_traces'] = [float(np.trace(t)) for t in terms]
    e['eigvals_K'] = ev
    e['lambda_min'] = float(ev[0])
    e['lambda_max'] = float(ev[-1])
    sc['eigvals_K'] = sc['lambda_min'] = ev[-1]
    e['c_li'] = [np.linalg.norm(a, axis=1) / math.sqrt(a.shape[1]) for a in A]
    gram = [a @ a.T / a.shape[1] for a in A]
    e['lambda_min_AL_AL^T_over_mL'] = lam_min(gram[-1])
    sc['lambda_min_AL_AL^T_over_mL'] = lam_max(gram[-1])
    e['jacobian_shape'] = list(J.shape)
    e['autograd_vs_layerwise_max_rel_diff'] = jac_diff

    # Infinite width.
    iw = {}
    S = nu0sq * X @ X.T / d
    T = X @ X.T / d
    sig_diag = []
    E1 = None
    info = []
    closed = 0.0
    quad = 0.0
    for l in range(L):
        sig_diag.append(np.diag(S).copy())
        E, i1 = pair_matrix(phi, S)
        Ed, i2 = pair_matrix(dphi, S)
        info += [i1, i2]
        if act == 'erf':
            ce, ced = erf_pair_closed(S)
            closed = max(closed, float(np.max(np.abs(ce - E))), float(np.max(np.abs(ced - Ed))))
        if deep:
            quad = max(quad, quad_spot_check(phi, S, E), quad_spot_check(dphi, S, Ed))
        if l == 0:
            E1 = E
        if l < L - 1:
            T = E + nu0sq * Ed * T
            S = nu0sq * E
        else:
            Theta = E + sv2 * Ed * T
            NNGP = sv2 * E
    log('    pairwise expectations: %d by Mehler series, %d by 2-D trapezoid; '
        'max |Mehler - 2-D trapezoid| = %.1e%s%s'
        % (sum(i['mehler_pairs'] for i in info), sum(i['trapezoid_pairs'] for i in info),
           max(i['max_abs_mehler_vs_trapezoid'] for i in info),
           f'; max |erf closed form - computed| = {closed:.1e}' if act == 'erf' else '',
           f'; max |adaptive quad - computed| = {quad:.1e}' if deep else ''))
    iw['lambda_min'] = lam_min(Theta)
    iw['trace'] = float(np.trace(Theta))
    iw['Theta_diag'] = np.diag(Theta).copy()
    iw['NNGP_lambda_min'] = lam_min(NNGP)
    iw['NNGP_trace'] = float(np.trace(NNGP))
    iw['lambda_1'] = lam_min(E1)
    iw['Sigma_diag_by_layer'] = sig_diag
    iw['rel_fro_err_of_K'] = float(np.linalg.norm(K - Theta) / np.linalg.norm(Theta))
    iw['Theta'] = Theta
    iw['NNGP'] = NNGP
    sc['inf_width.lambda_min'] = lam_max(Theta)
    sc['inf_width.NNGP_lambda_min'] = lam_max(NNGP)
    sc['inf_width.lambda_1'] = sc['lambda_1'] = lam_max(E1)
    e['inf_width'] = iw
    e['lambda_1'] = iw['lambda_1']
    e['lambda_1_matrix'] = E1
    if intermediates:
        e['H'] = H
        e['A'] = A[1:]
        e['K_terms'] = terms
        e['J'] = J
        e['B'] = B
    if c is not None:
        e['theorem41'] = theorem41(phi, sigma0, nu0sq, c, A, e['lambda_min'], sc)
        sc['theorem41.lambda_min_K'] = ev[-1]
    return Net(e, sc, {'X': X, 'W': Ws, 'v': v, 'K': K})


def theorem41(phi, sigma0, nu0sq, c, A, lambda_min_K, sc):
    """Theorem 4.1/4.2 constants in three Hermite conventions, Lemmas 4.1 and 4.2."""
    L = len(A) - 1
    layers = []
    lmax_E = []
    lmax_A = []
    for l in range(1, L + 1):
        Aprev = A[l - 1]
        S = nu0sq * Aprev @ Aprev.T / Aprev.shape[1]
        E, _ = pair_matrix(phi, S)
        G = A[l] @ A[l].T / A[l].shape[1]
        layers.append({'l': l, 'lambda_l': lam_min(E), 'lambda_min_AlAlT_over_m': lam_min(G)})
        lmax_E.append(lam_max(E))
        lmax_A.append(lam_max(G))
    sc['theorem41.lemma41_layers[].lambda_l'] = max(lmax_E)
    sc['theorem41.lemma41_layers[].lambda_min_AlAlT_over_m'] = max(lmax_A)
    sc['theorem41.lambda1'] = lmax_E[0]
    lam1 = layers[0]['lambda_l']
    ll = L - 1
    cl = np.linalg.norm(A[ll], axis=1) / math.sqrt(A[ll].shape[1])
    avals = cl * cl * nu0sq
    b, _ = orthonormal_coeffs(phi, avals, R_THEOREM)
    r = np.arange(R_THEOREM + 1)
    out = {'lambda1': lam1, 'lambda_min_K': lambda_min_K}
    tables = {}
    for conv in ('expand', 'orthonormal', 'weighted_literal'):
        mu = coeff_convention(b, avals[:, None], r[None, :], conv)
        mu0sq = np.min(mu * mu, axis=0)
        c0r = (mu0sq / (6.0 * c)) ** ll * (sigma0 * sigma0 / 2.0) ** (3.0 * r * ll)
        rb = int(2 + np.argmax(c0r[2:]))
        c0 = float(c0r[rb])
        bound = c0 * lam1
        out['bound_' + conv] = {
            'c0': c0, 'r_best': rb, 'bound_c0_lambda1': bound,
            'bound_c0_lambda1_over_4': bound / 4.0,
            'ratio_lambda_min_over_bound': lambda_min_K / bound,
            'c0_r1_not_allowed': float(c0r[1]),
        }
        sc[f'theorem41.bound_{conv}.bound_c0_lambda1'] = c0 * lmax_E[0]
        sc[f'theorem41.bound_{conv}.bound_c0_lambda1_over_4'] = c0 * lmax_E[0] / 4.0
        tables[conv] = (mu0sq, c0r)
    out['lemma42_cl2_over_c_minmax'] = [
        [float(np.min(x * x / c)), float(np.max(x * x / c))]
        for x in (np.linalg.norm(A[l], axis=1) / math.sqrt(A[l].shape[1]) for l in range(1, L + 1))]
    out['lemma41_layers'] = layers
    out['mu0sq_by_r_expand_r0..10'] = tables['expand'][0][:R_TABLE + 1]
    out['c0_by_r_expand_r0..10'] = tables['expand'][1][:R_TABLE + 1]
    out['note'] = THEOREM_NOTE
    return out


# ---------------------------------------------------------------------------------------------
# hermite_coeffs.json and gauss_kernel_pairs.json.
# ---------------------------------------------------------------------------------------------
HERMITE_ACTS = ('tanh', 'sigmoid', 'erf')
HERMITE_A = (0.25, 1.0, 2.5)
HERMITE_SIGMA0 = (0.25, 0.5, 1.0, 1.5, 2.0)
HERMITE_X = (-2.0, -0.5, 0.0, 0.7, 1.9)
HERMITE_DESCRIPTION = (
    "Generalized Hermite coefficients of phi, Definition 4.1. H_r^{[a]}(x) = a^{-r/2} "
    "He_r(x/sqrt a)/sqrt(r!). 'expand': mu_r^{[a]} = a^r E_{x~N(0,a)}[phi(x) H_r^{[a]}(x)] "
    "(g = sum_r mu_r H_r^{[a]} in L2(N(0,a))); 'orthonormal': E_{x~N(0,a)}[phi(x) "
    "He_r(x/sqrt a)/sqrt(r!)] = a^{-r/2} expand; 'weighted_literal': E_{x~N(0,a)}[phi(x) "
    "H_r^{[a]}(x)] = a^{-r/2} orthonormal (eq. 6 with the Gaussian weight inserted). Eq. (6) as "
    "printed (no weight) diverges for tanh (r=1). Computed with a uniform trapezoid (h<=0.05), "
    "accurate to ~1e-15; odd activations have exactly-zero even coefficients (stored as computed, "
    "|.| < 1e-16).")


def sigma0_for_nu0sq_1(phi):
    """sigma0 with sigma0^2 / c_{phi,sigma0} = 1, or None when no sigma0 > 0 gives it."""
    g = lambda s: s * s / c_phi(phi, s) - 1.0
    grid = [1e-3 * 1.25 ** k for k in range(60)]
    vals = [g(s) for s in grid]
    for k in range(len(grid) - 1):
        if vals[k] == 0.0:
            return grid[k]
        if vals[k] * vals[k + 1] < 0:
            return optimize.brentq(g, grid[k], grid[k + 1], xtol=1e-16, rtol=8.9e-16, maxiter=200)
    return None


def H_values(a, x, R):
    """H_r^{[a]}(x) = a^{-r/2} He_r(x/sqrt a)/sqrt(r!) for r = 0..R."""
    P = hermite_orthonormal(R, np.asarray(x, dtype=np.float64) / math.sqrt(a))
    return a ** (-np.arange(R + 1)[:, None] / 2.0) * P


def compute_hermite(log):
    acts = {}
    for name in HERMITE_ACTS:
        phi, _ = ACTIVATIONS[name]
        by_a = {}
        for a in HERMITE_A:
            b, e2 = orthonormal_coeffs(phi, [a], R_TABLE)
            b = b[0]
            r = np.arange(R_TABLE + 1)
            by_a[repr(a)] = {
                'expand': coeff_convention(b, a, r, 'expand'),
                'orthonormal': b,
                'weighted_literal': coeff_convention(b, a, r, 'weighted_literal'),
                'E_phi2': float(e2[0]),
                'sum_orthonormal_sq_r0..10': float(np.sum(b * b)),
            }
        cs = {}
        for s0 in HERMITE_SIGMA0:
            c = c_phi(phi, s0)
            cs[repr(s0)] = {'c': c, 'nu0sq': s0 * s0 / c}
        acts[name] = {'note': ACTIVATION_NOTES[name], 'by_a': by_a, 'c_by_sigma0': cs,
                      'sigma0_for_nu0sq_1': sigma0_for_nu0sq_1(phi)}
    z, w = np.polynomial.hermite_e.hermegauss(200)
    gh = float(w @ np.tanh(2.0 * z) ** 2) / math.sqrt(2 * math.pi)
    log(f'    c(tanh, sigma0=2): trapezoid {acts["tanh"]["c_by_sigma0"]["2.0"]["c"]!r}, '
        f'200-node Gauss-Hermite (not used) off by {abs(gh - acts["tanh"]["c_by_sigma0"]["2.0"]["c"]):.1e}')
    worst = 0.0
    for name in HERMITE_ACTS:
        for a in HERMITE_A:
            v = acts[name]['by_a'][repr(a)]
            worst = max(worst, abs(v['E_phi2'] - v['sum_orthonormal_sq_r0..10']
                                   - float(np.sum(orthonormal_coeffs(ACTIVATIONS[name][0], [a],
                                                                     200)[0][0, R_TABLE + 1:] ** 2))))
    log(f'    Parseval: max |E[phi^2] - sum_(r<=200) b_r^2| = {worst:.1e}')
    hv = {repr(a): {str(r): row for r, row in enumerate(H_values(a, HERMITE_X, R_TABLE))}
          for a in HERMITE_A}
    return {'description': HERMITE_DESCRIPTION, 'a_values': list(HERMITE_A), 'R': R_TABLE,
            'activations': acts, 'H_values': {'x': list(HERMITE_X), 'by_a': hv}}


PAIR_TRIPLES = ((1.0, 1.0, 0.0), (1.0, 1.0, 0.3), (0.5, 2.0, -0.4), (2.5, 3.5, 0.6),
                (0.3, 0.3, 0.95), (4.0, 4.0, 0.99), (1.2, 0.8, 1.0))
PAIRS_DESCRIPTION = (
    "E[f(u) f(u')] for (u,u') ~ N(0, [[a, rho sqrt(ab)], [rho sqrt(ab), b]]), f = phi and "
    "f = phi'. Accurate to ~1e-15 (2-D trapezoid, cross-checked with the generalised Mehler "
    "series and nested scipy.quad).")


def erf_closed(a, b, rho):
    s = rho * math.sqrt(a * b)
    q = (1 + 2 * a) * (1 + 2 * b)
    return (2 / math.pi) * math.asin(2 * s / math.sqrt(q)), (4 / math.pi) / math.sqrt(q - 4 * s * s)


def compute_pairs(log, deep):
    acts = {}
    worst_mehler = 0.0
    worst_quad = 0.0
    n_mehler = 0
    worst_closed = 0.0
    gh_err = {64: 0.0, 128: 0.0}
    for name in HERMITE_ACTS:
        phi, dphi = ACTIVATIONS[name]
        rows = []
        for a, b, rho in PAIR_TRIPLES:
            s = rho * math.sqrt(a * b)
            row = {'a': a, 'b': b, 'rho': rho}
            for key, g in (('E_phi_phi', phi), ('E_dphi_dphi', dphi)):
                val = pair_trapezoid(g, g, a, b, s)
                # Mehler series where its Cauchy-Schwarz tail bound is below 1e-16.
                R = 200
                co, e2 = orthonormal_coeffs(g, [a, b], R)
                tail = np.maximum(e2 - np.sum(co * co, axis=1), 0.0)
                if abs(rho) ** (R + 1) * math.sqrt(tail[0] * tail[1]) < 1e-16:
                    series = float(np.sum(co[0] * co[1] * rho ** np.arange(R + 1)))
                    worst_mehler = max(worst_mehler, abs(series - val))
                    n_mehler += 1
                if deep:
                    worst_quad = max(worst_quad, abs(pair_quad(g, g, a, b, s) - val))
                for nodes in gh_err:
                    gh_err[nodes] = max(gh_err[nodes], abs(pair_gauss_hermite(g, a, b, s, nodes) - val))
                if name == 'erf':
                    asn, dp = erf_closed(a, b, rho)
                    worst_closed = max(worst_closed, abs((asn if g is phi else dp) - val))
                row[key] = val
            rows.append(row)
        acts[name] = rows
    log(f'    2-D trapezoid vs Mehler series (R=200, {n_mehler} of '
        f'{2 * len(HERMITE_ACTS) * len(PAIR_TRIPLES)} values where its tail bound is < 1e-16): '
        f'max |diff| = {worst_mehler:.1e}'
        + (f'; vs adaptive quad: max |diff| = {worst_quad:.1e}' if deep else ''))
    log(f'    erf: 2-D trapezoid vs arcsine closed forms: max |diff| = {worst_closed:.1e}')
    log('    for comparison, 2-D Gauss-Hermite (not used): max |error| = '
        + ', '.join(f'{e:.1e} with {k} nodes per dimension' for k, e in gh_err.items()))
    closed = []
    for a, b, rho in PAIR_TRIPLES:
        asn, dp = erf_closed(a, b, rho)
        closed.append({'a': a, 'b': b, 'rho': rho, 'arcsine': asn, 'dphi': dp})
    return {'description': PAIRS_DESCRIPTION,
            'triples_a_b_rho': [list(t) for t in PAIR_TRIPLES], 'activations': acts,
            'erf_closed_form_check': closed}


# ---------------------------------------------------------------------------------------------
# JSON conversion, comparison.
# ---------------------------------------------------------------------------------------------
def to_json(o):
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, dict):
        return {k: to_json(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [to_json(v) for v in o]
    return o


def flatten(o):
    """All numbers in a nested list, as a 1-D float array (ragged lists allowed)."""
    if isinstance(o, (list, tuple)):
        parts = [flatten(x) for x in o]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.array([np.nan if o is None else float(o)])


def leaves(o, path=''):
    """(path, value) pairs; lists of dicts are merged key by key into one field ('a[].b')."""
    if isinstance(o, dict):
        for k, v in o.items():
            yield from leaves(v, f'{path}.{k}' if path else k)
    elif isinstance(o, list) and o and all(isinstance(x, dict) for x in o):
        keys = list(dict.fromkeys(k for x in o for k in x))
        for k in keys:
            yield from leaves([x.get(k) for x in o], f'{path}[].{k}')
    else:
        yield path, o


# Tolerances (README.md, "Tolerances"): by field, first match wins.
#   'rel'  max |got - stored| / max |stored| over the field
#   'eig'  max |got - stored| / (largest eigenvalue of the same matrix): eigenvalues and what is
#          proportional to them (a near-singular matrix's lambda_min is rounding noise)
#   'releig' 'rel', except that an eigenvalue below 1e-12 x that largest eigenvalue (a singular
#          matrix: the value is rounding noise) is measured as 'eig'
#   'ratio' 'rel', except that a ratio of rounding-noise eigenvalues is only checked for
#          consistency with the stored fields it is made of
#   'exact' equal;  'below' both under the tolerance (rounding-noise diagnostics)
NET_RULES = [
    ('expected.autograd_vs_layerwise_max_rel_diff', 'below', 1e-14),
    ('expected.jacobian_shape', 'exact', 0),
    ('expected.theorem41.bound_*.r_best', 'exact', 0),
    ('expected.theorem41.lemma41_layers[].l', 'exact', 0),
    ('expected.theorem41.note', 'exact', 0),
    ('expected.theorem41.bound_*.ratio_lambda_min_over_bound', 'ratio', 1e-11),
    ('expected.c', 'rel', 1e-13),
    ('expected.nu0sq', 'rel', 1e-13),
    ('expected.eigvals_K', 'eig', 1e-11),
    ('expected.lambda_min', 'eig', 1e-11),
    ('expected.theorem41.lambda_min_K', 'eig', 1e-11),
    ('expected.lambda_min_AL_AL^T_over_mL', 'eig', 1e-11),
    ('expected.theorem41.lemma41_layers[].lambda_min_AlAlT_over_m', 'eig', 1e-11),
    ('expected.inf_width.lambda_min', 'releig', 1e-12),
    ('expected.inf_width.NNGP_lambda_min', 'releig', 1e-12),
    ('expected.inf_width.lambda_1', 'releig', 1e-12),
    ('expected.lambda_1', 'releig', 1e-12),
    ('expected.theorem41.lambda1', 'releig', 1e-12),
    ('expected.theorem41.lemma41_layers[].lambda_l', 'releig', 1e-12),
    ('expected.theorem41.bound_*.bound_c0_lambda1*', 'releig', 1e-12),
    ('expected.inf_width.*', 'rel', 1e-12),
    ('expected.lambda_1_matrix', 'rel', 1e-12),
    ('expected.theorem41.*', 'rel', 1e-12),
    ('expected.*', 'rel', 1e-12),
]
TABLE_RULES = [
    ('*description', 'exact', 0), ('*note', 'exact', 0), ('R', 'exact', 0),
    ('a_values', 'exact', 0), ('H_values.x', 'exact', 0), ('triples_a_b_rho', 'exact', 0),
    ('*[].a', 'exact', 0), ('*[].b', 'exact', 0), ('*[].rho', 'exact', 0),
    ('*', 'rel', 1e-13),
]


def rule_for(path, rules):
    from fnmatch import fnmatchcase
    for pat, metric, tol in rules:
        if fnmatchcase(path, pat):
            return metric, tol
    raise KeyError(path)


class Report:
    def __init__(self, quiet):
        self.quiet = quiet
        self.failures = []
        self.summary = []

    def file(self, name, rows, notes=()):
        """rows: (field, metric, value, tol, ok, comment)."""
        bad = [r for r in rows if not r[4]]
        worst = None
        for r in rows:
            if r[1] in ('rel', 'eig') and (worst is None or r[2] / r[3] > worst[2] / worst[3]):
                worst = r
        print(f'{name}: {len(rows)} fields, {len(bad)} off tolerance'
              + (f'; worst {worst[0]} {worst[2]:.1e} ({worst[1]}, tol {worst[3]:.0e})'
                 if worst else ''))
        for note in notes:
            print('  ' + note)
        for r in rows:
            if not self.quiet or not r[4]:
                flag = 'ok  ' if r[4] else 'FAIL'
                val = f'{r[2]:.1e}' if isinstance(r[2], float) else str(r[2])
                tol = f'{r[3]:.0e}' if r[1] not in ('exact',) else ''
                print(f'  {flag} {r[0]:<62} {r[1]:<5} {val:>8} {tol:>6} {r[5]}')
        self.summary.append((name, len(rows), len(bad), worst))
        self.failures += [(name, r[0]) for r in bad]


def compare(got, stored, rules, scales=None, stored_doc=None):
    """Field-by-field comparison of two JSON documents; returns report rows."""
    scales = scales or {}
    g = dict(leaves(got))
    s = dict(leaves(stored))
    rows = []
    for path in s:
        if path not in g:
            rows.append((path, 'missing', 'absent', 0, False, 'not recomputed'))
    for path in g:
        if path not in s:
            rows.append((path, 'extra', 'absent', 0, False, 'not in the stored file'))
    for path, sv in s.items():
        if path not in g:
            continue
        gv = g[path]
        metric, tol = rule_for(path, rules)
        if metric == 'exact' or isinstance(sv, str) or isinstance(gv, str):
            ok = gv == sv
            rows.append((path, 'exact', 'equal' if ok else 'differs', 0, ok, ''))
            continue
        a, b = flatten(gv), flatten(sv)
        if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
            rows.append((path, metric, 'shape', tol, False, f'{a.shape} vs {b.shape} / nulls'))
            continue
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        diff = float(np.max(np.abs(a - b))) if a.size else 0.0
        key = path[len('expected.'):] if path.startswith('expected.') else path
        if metric == 'below':
            val = float(np.max(np.abs(a)))
            ok = val < tol and float(np.max(np.abs(b))) < tol
            rows.append((path, 'below', val, tol, ok, f'(stored {float(np.max(np.abs(b))):.1e}; '
                         'rounding noise of a different summation order, not a value to match)'))
            continue
        if metric == 'ratio':
            # lambda_min(K) / (c0 lambda_1): relative, unless an eigenvalue is rounding noise.
            t = stored_doc['expected']['theorem41']
            conv = path.split('.')[2]
            lk, l1 = t['lambda_min_K'], t['lambda1']
            noisy = abs(lk) < 1e-12 * stored_doc['expected']['lambda_max'] or \
                abs(l1) < 1e-12 * scales['theorem41.lambda1']
            if noisy:
                consistent = abs(sv - lk / t[conv]['bound_c0_lambda1']) <= 1e-15 * abs(sv)
                rows.append((path, 'noise', 'n/a', tol, consistent,
                             'a ratio of rounding-noise eigenvalues (singular case): only checked '
                             'to equal stored lambda_min_K / stored bound_c0_lambda1'))
                continue
            metric = 'rel'
        if metric == 'releig':
            noisy = float(np.max(np.abs(b))) < 1e-12 * scales[key]
            metric = 'eig' if noisy else 'rel'
        if metric == 'eig':
            scale = scales[key]
        else:
            scale = float(np.max(np.abs(b))) if b.size else 0.0
        val = diff / scale if scale > 0 else diff
        rows.append((path, metric, val, tol, val <= tol, ''))
    return rows


# ---------------------------------------------------------------------------------------------
# Files.
# ---------------------------------------------------------------------------------------------
def dump_net(doc):
    return json.dumps(to_json(doc), separators=(',', ':'), allow_nan=False)


def dump_table(doc):
    return json.dumps(to_json(doc), allow_nan=False)


def dump_index(doc):
    return json.dumps(to_json(doc), indent=1, allow_nan=False)


def write_atomic(path, data):
    """Write via a temporary file in the same folder and rename: never a half-written file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix='.tmp-')
    try:
        with os.fdopen(fd, 'wb') as fh:
            if isinstance(data, np.ndarray):
                np.save(fh, data, allow_pickle=False)
            else:
                fh.write(data.encode('utf-8'))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_json(path):
    with open(path, encoding='utf-8') as fh:
        return json.load(fh)


def net_doc(name, description, inputs, net):
    inp = dict(inputs)
    ordered = {}
    for k in ('activation', 'activation_note', 'sigma0', 'nu0sq', 'sv2', 'n', 'd', 'L', 'widths',
              'X', 'W', 'v'):
        if k == 'activation_note':
            ordered[k] = inp.get(k, ACTIVATION_NOTES[inp['activation']])
        elif k in inp:
            ordered[k] = inp[k]
    return {'name': name, 'description': description, 'conventions': CONVENTIONS_TEXT,
            'inputs': ordered, 'expected': net.expected, 'tolerances': NET_TOLERANCES}


def index_entry(file, doc):
    inp, e = doc['inputs'], doc['expected']
    return {'file': file, 'activation': inp['activation'], 'n': inp['n'], 'd': inp['d'],
            'widths': inp['widths'], 'sigma0': inp['sigma0'], 'nu0sq': inp['nu0sq'],
            'lambda_min': e['lambda_min'], 'inf_width_lambda_min': e['inf_width']['lambda_min'],
            'lambda_1': e['lambda_1'], 'description': doc['description']}


def npy_dir(folder, doc):
    return os.path.join(folder, 'npy', doc['name'])


def npy_arrays(net):
    arr = {'X': net.arrays['X'], 'v': net.arrays['v'], 'K': net.arrays['K']}
    for l, W in enumerate(net.arrays['W']):
        arr[f'W{l + 1}'] = W
    return arr


def net_files(folder):
    index = read_json(os.path.join(folder, 'index.json'))
    listed = [x['file'] for x in index]
    on_disk = sorted(f for f in os.listdir(folder) if f.startswith('net_') and f.endswith('.json'))
    return index, listed, on_disk


def check(folder, deep, quiet, only):
    rep = Report(quiet)
    log = print
    index, listed, on_disk = net_files(folder)
    if sorted(listed) != on_disk:
        rep.failures.append(('index.json', f'lists {sorted(listed)}, folder has {on_disk}'))
        print(f'index.json: lists {sorted(listed)} but the folder holds {on_disk}')
    for file in listed:
        if only and only not in file:
            continue
        stored = read_json(os.path.join(folder, file))
        print(f'{file}: recomputing ...', flush=True)
        net = compute_net(stored['inputs'], 'J' in stored['expected'], log, deep)
        got = net_doc(stored['name'], stored['description'], stored['inputs'], net)
        rows = compare(to_json({'expected': got['expected'], 'tolerances': got['tolerances'],
                                'conventions': got['conventions']}),
                       {'expected': stored['expected'], 'tolerances': stored['tolerances'],
                        'conventions': stored['conventions']},
                       NET_RULES + [('tolerances*', 'exact', 0), ('conventions', 'exact', 0)],
                       net.scales, stored)
        notes = []
        d = npy_dir(folder, stored)
        if os.path.isdir(d):
            for k, a in npy_arrays(net).items():
                p = os.path.join(d, f'{k}.npy')
                with open(p, 'rb') as fh:
                    header_ok = fh.read(8) == b'\x93NUMPY\x01\x00'
                x = np.load(p, allow_pickle=False)
                src = {'X': stored['inputs']['X'], 'v': stored['inputs']['v'],
                       'K': stored['expected']['K']}.get(k)
                if src is None:
                    src = stored['inputs']['W'][int(k[1:]) - 1]
                same = x.dtype == np.dtype('<f8') and x.flags['C_CONTIGUOUS'] and \
                    np.array_equal(x, np.array(src))
                diff = float(np.max(np.abs(x - a)) / np.max(np.abs(a)))
                ok = header_ok and same and diff <= 1e-12
                rows.append((f'npy/{stored["name"]}/{k}.npy', 'rel', diff, 1e-12, ok,
                             '' if header_ok and same else
                             'not NPY 1.0 <f8 C order, or not equal to the JSON values'))
        rep.file(file, rows, notes)
        entry = next(x for x in index if x['file'] == file)
        if entry != index_entry(file, stored):
            rep.failures.append(('index.json', file))
            print(f'  FAIL index.json entry for {file} does not match the file')
    if not only or only in 'hermite_coeffs.json':
        print('hermite_coeffs.json: recomputing ...', flush=True)
        got = compute_hermite(log)
        stored = read_json(os.path.join(folder, 'hermite_coeffs.json'))
        rep.file('hermite_coeffs.json', compare(to_json(got), stored, TABLE_RULES))
    if not only or only in 'gauss_kernel_pairs.json':
        print('gauss_kernel_pairs.json: recomputing ...', flush=True)
        got = compute_pairs(log, deep)
        stored = read_json(os.path.join(folder, 'gauss_kernel_pairs.json'))
        rep.file('gauss_kernel_pairs.json', compare(to_json(got), stored, TABLE_RULES))
    print('\nsummary (per file: fields checked, fields off tolerance, the field nearest its tolerance):')
    for name, nrows, nbad, worst in rep.summary:
        w = f'{worst[0]} {worst[2]:.1e} / tol {worst[3]:.0e}' if worst else '-'
        print(f'  {name:<36} {nrows:>3} fields  {nbad} off   {w}')
    if rep.failures:
        print(f'\nFAILED: {len(rep.failures)} field(s) off tolerance')
        return 1
    print('\nOK: every field reproduced within tolerance')
    return 0


def write_all(folder, out, deep):
    """Recompute every file from the inputs stored in `folder` and write them into `out`."""
    index, listed, _ = net_files(folder)
    new_index = []
    for file in listed:
        stored = read_json(os.path.join(folder, file))
        print(f'{file} ...', flush=True)
        net = compute_net(stored['inputs'], 'J' in stored['expected'], print, deep)
        doc = net_doc(stored['name'], stored['description'], stored['inputs'], net)
        write_atomic(os.path.join(out, file), dump_net(doc))
        if os.path.isdir(npy_dir(folder, stored)):
            for k, a in npy_arrays(net).items():
                write_atomic(os.path.join(npy_dir(out, stored), f'{k}.npy'),
                             np.ascontiguousarray(a, dtype='<f8'))
        new_index.append(index_entry(file, to_json(doc)))
    print('hermite_coeffs.json ...', flush=True)
    write_atomic(os.path.join(out, 'hermite_coeffs.json'), dump_table(compute_hermite(print)))
    print('gauss_kernel_pairs.json ...', flush=True)
    write_atomic(os.path.join(out, 'gauss_kernel_pairs.json'),
                 dump_table(compute_pairs(print, deep)))
    write_atomic(os.path.join(out, 'index.json'), dump_index(new_index))
    print(f'wrote {len(listed)} network cases, hermite_coeffs.json, gauss_kernel_pairs.json, '
          f'index.json into {out}')


def case_inputs(spec):
    """Explicit inputs from a case spec: given X, W, v, or drawn once from spec['seed']."""
    act = spec.get('activation')
    if act not in ACTIVATIONS:
        raise ValueError(f'spec.activation: {act!r} is not one of {sorted(ACTIVATIONS)}')
    phi, _ = ACTIVATIONS[act]
    sigma0 = spec.get('sigma0')
    if sigma0 is not None:
        nu0sq = sigma0 * sigma0 / c_phi(phi, sigma0)
    elif spec.get('nu0sq') is not None:
        nu0sq = float(spec['nu0sq'])
    else:
        raise ValueError('spec: give sigma0 (nu0sq = sigma0^2 / c is derived) or nu0sq')
    sv2 = float(spec.get('sv2', 1.0))
    if 'X' in spec:
        X = np.array(spec['X'], dtype=np.float64)
        Ws = [np.array(W, dtype=np.float64) for W in spec['W']]
        v = np.array(spec['v'], dtype=np.float64)
    else:
        for k in ('n', 'd', 'widths', 'seed'):
            if k not in spec:
                raise ValueError(f'spec.{k} is required when X, W, v are not given')
        rng = np.random.default_rng(spec['seed'])
        X = rng.standard_normal((spec['n'], spec['d']))
        if spec.get('normalize_X', False):
            X *= math.sqrt(spec['d']) / np.linalg.norm(X, axis=1, keepdims=True)
        dims = [spec['d']] + list(spec['widths'])
        Ws = [math.sqrt(nu0sq) * rng.standard_normal((dims[l + 1], dims[l]))
              for l in range(len(spec['widths']))]
        v = math.sqrt(sv2) * rng.standard_normal(dims[-1])
    return {'activation': act, 'activation_note': ACTIVATION_NOTES[act], 'sigma0': sigma0,
            'nu0sq': nu0sq, 'sv2': sv2, 'n': X.shape[0], 'd': X.shape[1], 'L': len(Ws),
            'widths': [W.shape[0] for W in Ws], 'X': X.tolist(), 'W': [W.tolist() for W in Ws],
            'v': v.tolist()}


def new_case(folder, spec_path, deep, force):
    spec = read_json(spec_path)
    name = spec.get('name')
    if not name or not all(ch.isalnum() or ch in '_-' for ch in name):
        raise ValueError('spec.name: give a name of letters, digits, _ and - (file net_<name>.json)')
    file = f'net_{name}.json'
    path = os.path.join(folder, file)
    if os.path.exists(path) and not force:
        raise ValueError(f'{file} exists; pass --force to replace it')
    inputs = case_inputs(spec)
    p = sum(len(W) * len(W[0]) for W in inputs['W']) + len(inputs['v'])
    inter = spec.get('intermediates', inputs['n'] * p <= 400)
    net = compute_net(inputs, inter, print, deep)
    doc = net_doc(name, spec.get('description', ''), inputs, net)
    write_atomic(path, dump_net(doc))
    if spec.get('npy', False):
        for k, a in npy_arrays(net).items():
            write_atomic(os.path.join(npy_dir(folder, doc), f'{k}.npy'),
                         np.ascontiguousarray(a, dtype='<f8'))
    index = read_json(os.path.join(folder, 'index.json'))
    index = [x for x in index if x['file'] != file] + [index_entry(file, to_json(doc))]
    write_atomic(os.path.join(folder, 'index.json'), dump_index(index))
    print(f'wrote {file} (lambda_min {net.expected["lambda_min"]:.6e}, inf-width lambda_min '
          f'{net.expected["inf_width"]["lambda_min"]:.6e}) and its index.json entry')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog='See README.md beside this file.')
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument('--check', action='store_true',
                      help='recompute every file and compare field by field (default)')
    mode.add_argument('--write', action='store_true', help='rewrite every file from its inputs')
    mode.add_argument('--new-case', metavar='SPEC.json', help='add the network case SPEC.json')
    ap.add_argument('--dir', default=HERE, help='folder of the reference files (default: here)')
    ap.add_argument('--out', help='with --write: folder to write into (default: --dir)')
    ap.add_argument('--deep', action='store_true',
                    help='also cross-check Gaussian expectations with adaptive scipy quad')
    ap.add_argument('--only', metavar='TEXT', help='with --check: only files whose name has TEXT')
    ap.add_argument('--force', action='store_true', help='with --new-case: replace a case')
    ap.add_argument('-q', '--quiet', action='store_true',
                    help='with --check: print only failing fields and the summary')
    args = ap.parse_args(argv)
    np.seterr(all='ignore')
    import warnings  # noqa: PLC0415
    warnings.simplefilter('ignore', integrate.IntegrationWarning)
    try:
        if args.write:
            write_all(args.dir, args.out or args.dir, args.deep)
            return 0
        if args.new_case:
            new_case(args.dir, args.new_case, args.deep, args.force)
            return 0
        return check(args.dir, args.deep, args.quiet, args.only)
    except (ValueError, KeyError, OSError) as err:
        print(f'generate.py: {err}', file=sys.stderr)
        return 2


if __name__ == '__main__':
    sys.exit(main())
