"""A numpy reference quantizer for ggml's 4-, 5- and 6-bit types, bit-identical to llama.cpp's.

gguf-py can dequantize the k-quants but not make them, and test models need them. Every
function here follows the `quantize_row_*_ref` function of llama.cpp's
`ggml/src/ggml-quants.c` that `llama-quantize` runs when it has no importance matrix: the same
float32 operations in the same order (sums accumulate element by element, never pairwise),
`nearest_int` rounding (half to even), fp16 rounding of the block scales, the 6-bit scale packing
of the K-quants and the high-bit layout of the 5-bit types. The loops of the C code run over one
block; here they run over all blocks at once, with the elements of a block along axis 0.

Speed (numpy, one core of the 2-core dev machine, a 1024 x 1024 matrix): 12.5 M values/s for
Q4_K, 16 M/s for Q5_K, 20 M/s for Q6_K, 140-190 M/s for Q4_0/Q4_1/Q5_0/Q5_1; a Qwen3-0.6B-shaped
model (440 M weights) as Q4_K_M takes about 40 s.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from gguf import GGMLQuantizationType
from gguf.constants import GGML_QUANT_SIZES
from gguf.quants import quant_shape_to_byte_shape

F32 = np.float32
GROUP_MAX_EPS = F32(1e-15)
# Blocks per call of a type's kernel: large enough to amortise numpy's per-call cost, small
# enough that the working arrays stay in cache.
_CHUNK_VALUES = 1 << 18


def quantize_blocks(values: np.ndarray, qtype: GGMLQuantizationType) -> np.ndarray:
    """`values` (float32, rows along the last axis) as ggml blocks of `qtype`.

    Returns uint8 bytes shaped as gguf-py's `quant_shape_to_byte_shape`, the layout that
    `gguf.quants.dequantize` and a GGUF file take.
    """
    if qtype not in _KERNELS:
        raise ValueError(f"no reference quantizer for {qtype.name} (have {', '.join(t.name for t in _KERNELS)})")
    values = np.asarray(values, dtype=F32)
    out_shape = quant_shape_to_byte_shape(values.shape, qtype)
    block, type_size = GGML_QUANT_SIZES[qtype]
    blocks = values.reshape(-1, block)
    out = np.empty((blocks.shape[0], type_size), dtype=np.uint8)
    step = max(1, _CHUNK_VALUES // block)
    kernel = _KERNELS[qtype]
    with np.errstate(all="ignore"):  # as in C: divisions by zero are computed, then not used
        for start in range(0, blocks.shape[0], step):
            out[start:start + step] = kernel(blocks[start:start + step])
    return out.reshape(out_shape)


def supported_types() -> tuple[GGMLQuantizationType, ...]:
    return tuple(_KERNELS)


# ---------------------------------------------------------------------------------------------
# helpers: C's float32 arithmetic on arrays laid out [element, group]


def _seq_sum(a: np.ndarray) -> np.ndarray:
    """The sum over axis 0 in index order, in float32 (C's `for (...) s += a[i]`)."""
    acc = a[0].copy()
    for row in a[1:]:
        acc += row
    return acc


def _nearest_int(a: np.ndarray) -> np.ndarray:
    """ggml's `nearest_int` (adds 1.5 * 2^23, so halves go to even), as float32 integers."""
    return np.rint(a)


def _fp16(a: np.ndarray) -> np.ndarray:
    """GGML_FP32_TO_FP16 (round to nearest even) as uint16 bits."""
    return np.asarray(a, dtype=F32).astype(np.float16).view(np.uint16)


def _fp16_value(bits: np.ndarray) -> np.ndarray:
    return bits.view(np.float16).astype(F32)


def _abs_max_signed(x: np.ndarray) -> np.ndarray:
    """The element of largest magnitude, the first one on ties (C: `if (amax < fabsf(v))`)."""
    idx = np.argmax(np.abs(x), axis=0)
    return np.take_along_axis(x, idx[None], axis=0)[0]


def _u16_bytes(bits: np.ndarray) -> np.ndarray:
    """[n] uint16 -> [n, 2] little-endian bytes."""
    return bits.astype("<u2").view(np.uint8).reshape(-1, 2)


def _pack_nibbles(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return (lo & 0xF).astype(np.uint8) | ((hi & 0xF).astype(np.uint8) << 4)


# ---------------------------------------------------------------------------------------------
# 32-value types: blocks [n, 32]


def _q4_0(x: np.ndarray) -> np.ndarray:
    t = x.T  # [32, n]
    d = _abs_max_signed(t) / F32(-8)
    inv = np.where(d != 0, F32(1) / d, F32(0)).astype(F32)
    q = np.minimum(15, np.trunc(t * inv + F32(8.5))).astype(np.uint8)  # (int8_t) truncates
    return np.concatenate([_u16_bytes(_fp16(d)), _pack_nibbles(q[:16], q[16:]).T], axis=1)


def _q4_1(x: np.ndarray) -> np.ndarray:
    t = x.T
    lo, hi = t.min(axis=0), t.max(axis=0)
    d = (hi - lo) / F32(15)
    inv = np.where(d != 0, F32(1) / d, F32(0)).astype(F32)
    q = np.minimum(15, np.trunc((t - lo) * inv + F32(0.5))).astype(np.uint8)
    return np.concatenate([_u16_bytes(_fp16(d)), _u16_bytes(_fp16(lo)), _pack_nibbles(q[:16], q[16:]).T], axis=1)


def _high_bits(q: np.ndarray) -> np.ndarray:
    """Bit 4 of the 32 quants of each block as one little-endian uint32 (bit j = quant j) -> [n, 4]."""
    bits = ((q >> 4) & 1).astype(np.uint32)
    qh = np.zeros(q.shape[1], dtype=np.uint32)
    for j in range(32):
        qh |= bits[j] << np.uint32(j)
    return qh.astype("<u4").view(np.uint8).reshape(-1, 4)


def _q5_0(x: np.ndarray) -> np.ndarray:
    t = x.T
    d = _abs_max_signed(t) / F32(-16)
    inv = np.where(d != 0, F32(1) / d, F32(0)).astype(F32)
    q = np.minimum(31, np.trunc(t * inv + F32(16.5))).astype(np.uint8)
    return np.concatenate([_u16_bytes(_fp16(d)), _high_bits(q), _pack_nibbles(q[:16], q[16:]).T], axis=1)


def _q5_1(x: np.ndarray) -> np.ndarray:
    t = x.T
    lo, hi = t.min(axis=0), t.max(axis=0)
    d = (hi - lo) / F32(31)
    inv = np.where(d != 0, F32(1) / d, F32(0)).astype(F32)
    q = np.trunc((t - lo) * inv + F32(0.5)).astype(np.uint8)  # no MIN(31, ...) in the C code
    return np.concatenate([_u16_bytes(_fp16(d)), _u16_bytes(_fp16(lo)), _high_bits(q),
                           _pack_nibbles(q[:16], q[16:]).T], axis=1)


# ---------------------------------------------------------------------------------------------
# the K-quants' per-group fits; x, w are [group size, groups]


def _make_qkx2_quants(x: np.ndarray, w: np.ndarray, nmax: int, rmin: float, rdelta: float,
                      nstep: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ggml's `make_qkx2_quants`: (scale, the_min, L) with x ~ scale * L - the_min, L in [0, nmax].

    A weighted least-squares fit of scale and min, tried for nstep + 1 trial scales; the
    best-so-far min moves the grid of the next trial, as in C.
    """
    fnmax = F32(nmax)
    mn = np.minimum(x.min(axis=0), F32(0))
    mx = x.max(axis=0)
    sum_w = _seq_sum(w)
    sum_x = _seq_sum(w * x)
    flat = mx == mn
    iscale = fnmax / (mx - mn)
    scale = F32(1) / iscale
    L = np.clip(_nearest_int(iscale * (x - mn)), 0, fnmax)
    diff = scale * L + mn - x
    best = _seq_sum(w * (diff * diff))
    for step in range(nstep + 1):
        iscale = (F32(rmin) + F32(rdelta) * F32(step) + fnmax) / (mx - mn)
        laux = np.clip(_nearest_int(iscale * (x - mn)), 0, fnmax)
        wl = w * laux
        sum_l = _seq_sum(wl)
        sum_l2 = _seq_sum(wl * laux)
        sum_xl = _seq_sum(wl * x)
        D = sum_w * sum_l2 - sum_l * sum_l
        this_scale = (sum_w * sum_xl - sum_x * sum_l) / D
        this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D
        positive = this_min > 0
        this_min = np.where(positive, F32(0), this_min)
        this_scale = np.where(positive, sum_xl / sum_l2, this_scale)
        diff = this_scale * laux + this_min - x
        cur = _seq_sum(w * (diff * diff))
        better = (D > 0) & (cur < best)
        L = np.where(better, laux, L)
        best = np.where(better, cur, best)
        scale = np.where(better, this_scale, scale)
        mn = np.where(better, this_min, mn)
    L = np.where(flat, F32(0), L)
    scale = np.where(flat, F32(0), scale)
    return scale, -mn, L


def _make_qx_quants_rmse1(x: np.ndarray, nmax: int) -> tuple[np.ndarray, np.ndarray]:
    """ggml's `make_qx_quants(n, nmax, x, L, rmse_type=1, NULL)`: (scale, L) with x ~ scale * (L - nmax).

    Weights x^2; the scale is refitted for 18 trial grids around -nmax / max.
    """
    fnmax = F32(nmax)
    mx = _abs_max_signed(x)
    zero = np.abs(mx) < GROUP_MAX_EPS
    w = x * x
    wx = w * x

    def fit(iscale: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        lv = np.clip(_nearest_int(iscale * x), -fnmax, fnmax - 1)
        return lv, _seq_sum(wx * lv), _seq_sum(w * lv * lv)

    lv, sumlx, suml2 = fit(F32(-nmax) / mx)
    L = lv + fnmax
    scale = np.where(suml2 != 0, sumlx / suml2, F32(0)).astype(F32)
    best = scale * sumlx
    for step in range(-9, 10):
        if step == 0:
            continue
        lv, sumlx, suml2 = fit(-(fnmax + F32(0.1) * F32(step)) / mx)
        better = (suml2 > 0) & (sumlx * sumlx > best * suml2)
        L = np.where(better, lv + fnmax, L)
        scale = np.where(better, sumlx / suml2, scale)
        best = np.where(better, scale * sumlx, best)
    return np.where(zero, F32(0), scale), np.where(zero, F32(0), L)


def _groups(x: np.ndarray, size: int) -> np.ndarray:
    """Super-blocks [n, 256] -> [size, 256 // size, n] (element, group in block, block)."""
    return np.ascontiguousarray(x.reshape(x.shape[0], -1, size).transpose(2, 1, 0))


def _ungroup(L: np.ndarray) -> np.ndarray:
    """The inverse of `_groups`, as uint8 quants [n, 256]."""
    return L.transpose(2, 1, 0).reshape(L.shape[2], -1).astype(np.uint8)


def _q45_k(x: np.ndarray, nmax: int, rmin: float, rdelta: float, nstep: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The part Q4_K and Q5_K share: (d bits, dmin bits, the 12 scale bytes, quants [n, 256])."""
    g = _groups(x, 32)  # [32, 8, n]
    n = g.shape[2]
    flat_x = g.reshape(32, -1)
    av_x = np.sqrt(_seq_sum(flat_x * flat_x) / F32(32))
    w = av_x + np.abs(flat_x)
    scales, mins, L = _make_qkx2_quants(flat_x, w, nmax, rmin, rdelta, nstep)
    scales, mins, L = scales.reshape(8, n), mins.reshape(8, n), L.reshape(32, 8, n)
    max_scale = np.maximum(scales.max(axis=0), F32(0))
    max_min = np.maximum(mins.max(axis=0), F32(0))
    inv_scale = np.where(max_scale > 0, F32(63) / max_scale, F32(0)).astype(F32)
    inv_min = np.where(max_min > 0, F32(63) / max_min, F32(0)).astype(F32)
    # uint8_t ls = nearest_int(...): wraps like C before MIN(63, ls)
    ls = np.minimum(63, _nearest_int(inv_scale * scales).astype(np.int64) & 0xFF)
    lm = np.minimum(63, _nearest_int(inv_min * mins).astype(np.int64) & 0xFF)
    packed = np.zeros((12, n), dtype=np.int64)
    packed[0:4] = ls[0:4]
    packed[4:8] = lm[0:4]
    packed[8:12] = (ls[4:8] & 0xF) | ((lm[4:8] & 0xF) << 4)
    packed[0:4] |= (ls[4:8] >> 4) << 6
    packed[4:8] |= (lm[4:8] >> 4) << 6
    d_bits = _fp16(max_scale / F32(63))
    dmin_bits = _fp16(max_min / F32(63))
    d = _fp16_value(d_bits) * ls.astype(F32)  # [8, n]
    dm = _fp16_value(dmin_bits) * lm.astype(F32)
    requant = np.clip(_nearest_int((g + dm) / d), 0, F32(nmax))
    L = np.where(d != 0, requant, L)  # a zero scale keeps make_qkx2_quants' quants
    return d_bits, dmin_bits, packed.astype(np.uint8).T, _ungroup(L)


def _q4_k(x: np.ndarray) -> np.ndarray:
    d, dmin, scales, L = _q45_k(x, 15, -1.0, 0.1, 20)
    a = L.reshape(-1, 4, 2, 32)
    qs = _pack_nibbles(a[:, :, 0], a[:, :, 1]).reshape(-1, 128)
    return np.concatenate([_u16_bytes(d), _u16_bytes(dmin), scales, qs], axis=1)


def _q5_k(x: np.ndarray) -> np.ndarray:
    d, dmin, scales, L = _q45_k(x, 31, -0.5, 0.1, 15)
    a = L.reshape(-1, 4, 2, 32)  # [n, 64-value chunk, half, 32]
    qh = np.zeros((a.shape[0], 32), dtype=np.uint8)
    for chunk in range(4):
        for half in range(2):
            qh |= ((a[:, chunk, half] >> 4) & 1) << np.uint8(2 * chunk + half)
    qs = _pack_nibbles(a[:, :, 0], a[:, :, 1]).reshape(-1, 128)
    return np.concatenate([_u16_bytes(d), _u16_bytes(dmin), scales, qh, qs], axis=1)


def _q6_k(x: np.ndarray) -> np.ndarray:
    g = _groups(x, 16)  # [16, 16, n]
    n = g.shape[2]
    scales, L = _make_qx_quants_rmse1(g.reshape(16, -1), 32)
    scales, L = scales.reshape(16, n), L.reshape(16, 16, n)
    max_scale = _abs_max_signed(scales)
    zero_block = np.abs(max_scale) < GROUP_MAX_EPS
    iscale = F32(-128) / max_scale
    d_bits = _fp16(F32(1) / iscale)
    sc = np.minimum(F32(127), _nearest_int(iscale * scales))  # [16, n], fits int8
    d = _fp16_value(d_bits) * sc
    requant = np.clip(_nearest_int(g / d), F32(-32), F32(31)) + F32(32)
    L = _ungroup(np.where(d != 0, requant, L))
    b = L.reshape(-1, 2, 4, 32)  # [n, 128-value half, quarter, 32]
    ql = np.concatenate([_pack_nibbles(b[:, :, 0], b[:, :, 2]), _pack_nibbles(b[:, :, 1], b[:, :, 3])], axis=2)
    qh = np.zeros((b.shape[0], 2, 32), dtype=np.uint8)
    for quarter in range(4):
        qh |= (b[:, :, quarter] >> 4) << np.uint8(2 * quarter)
    out = np.concatenate([ql.reshape(-1, 128), qh.reshape(-1, 64), sc.astype(np.int8).view(np.uint8).T,
                          _u16_bytes(d_bits)], axis=1)
    out[zero_block] = 0
    return out


_KERNELS: dict[GGMLQuantizationType, Callable[[np.ndarray], np.ndarray]] = {
    GGMLQuantizationType.Q4_0: _q4_0,
    GGMLQuantizationType.Q4_1: _q4_1,
    GGMLQuantizationType.Q5_0: _q5_0,
    GGMLQuantizationType.Q5_1: _q5_1,
    GGMLQuantizationType.Q4_K: _q4_k,
    GGMLQuantizationType.Q5_K: _q5_k,
    GGMLQuantizationType.Q6_K: _q6_k,
}
