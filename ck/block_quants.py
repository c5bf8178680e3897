"""GGML's 4-, 5- and 6-bit block types unpacked to w = scale * q + min, as kernels read them.

Every one of Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K and Q6_K stores, per group of 32 weights
(16 for Q6_K), a small integer q per weight and an affine map to the weight. Unpacking
them into one f32 scale (and, where the type has one, one f32 min) per group and one
signed byte per weight lets one kernel family read all of them, with int8 dot products.

The maps are computed in f32 exactly as gguf-py's `dequantize` computes them (the same
products, in the same order), so scale * q (+ min) is that dequantization bit for bit:

    q4_0, q5_0:  d * (q - 8|16)            scale d, q signed, no min
    q4_1, q5_1:  d * q + m                 scale d, min m
    q4_k, q5_k:  (d * sc) * q - dmin * mn  scale d * sc, min -(dmin * mn), per 32
    q6_k:        (d * sc) * (q - 32)       scale d * sc per 16, no min
"""

from __future__ import annotations

import numpy as np

from ck.dialects.memory import K_QUANT_DTYPES, RP16_NIBBLE_DTYPES, rp16_offset
from ck.dialects.types import AFFINE_DTYPES, AFFINE_MINS

QK_K = 256


def _f16(b: np.ndarray) -> np.ndarray:
    """Little-endian fp16 from the last axis's 2 bytes, as f32."""
    return np.ascontiguousarray(b).view(np.float16).astype(np.float32)[..., 0]


def _nibbles(qs: np.ndarray, width: int) -> np.ndarray:
    """Bytes [..., width/2] to [..., width]: low nibbles first, then high nibbles."""
    return np.concatenate([qs & 0x0F, qs >> 4], axis=-1).reshape(*qs.shape[:-1], width)


def _high_bits(qh: np.ndarray, count: int) -> np.ndarray:
    """Bit i of the little-endian bit string qh, for i < count (0 or 1 as uint8)."""
    return np.unpackbits(qh, axis=-1, bitorder="little")[..., :count]


def _k_scales(scales: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 8 six-bit scales and mins packed into 12 bytes per Q4_K / Q5_K super-block."""
    d, m, md = scales[..., 0:4], scales[..., 4:8], scales[..., 8:12]
    sc = np.concatenate([d & 0x3F, (md & 0x0F) | ((d >> 2) & 0x30)], axis=-1)
    mn = np.concatenate([m & 0x3F, (md >> 4) | ((m >> 2) & 0x30)], axis=-1)
    return sc.astype(np.float32), mn.astype(np.float32)


def unpack_affine(raw: np.ndarray, dtype: str, n: int, k: int) -> dict[str, np.ndarray]:
    """The GGUF bytes of an [n, k] `dtype` tensor as `scales` f32 [n, k/G], `mins` f32
    [n, k/32] (types with a min) and `quants` int8 [n, k] (the rows layout's parts); for
    the k-quants also their factors: `d` (and `dmin`) f32 [n, k/256] and the integer
    `scale_ints` [n, k/G] (and `min_ints` [n, k/32]), which rp16 keeps instead."""
    if dtype not in AFFINE_DTYPES:
        raise ValueError(f"{dtype} is not an affine block type (expected one of {', '.join(AFFINE_DTYPES)})")
    b = np.asarray(raw, dtype=np.uint8).reshape(n, -1)
    parts: dict[str, np.ndarray]
    if dtype in ("q4_0", "q4_1", "q5_0", "q5_1"):
        size = {"q4_0": 18, "q4_1": 20, "q5_0": 22, "q5_1": 24}[dtype]
        blk = b.reshape(n, k // 32, size)
        d = _f16(blk[..., 0:2])
        at = 4 if dtype in ("q4_1", "q5_1") else 2
        if dtype in ("q5_0", "q5_1"):
            q = _nibbles(blk[..., at + 4 :], 32) | (_high_bits(blk[..., at : at + 4], 32) << 4)
        else:
            q = _nibbles(blk[..., at:], 32)
        q = q.reshape(n, k).astype(np.int8)
        if dtype == "q4_0":
            q -= 8
        elif dtype == "q5_0":
            q -= 16
        parts = {"scales": d, "quants": q}
        if at == 4:
            parts["mins"] = _f16(blk[..., 2:4])
    elif dtype in ("q4_k", "q5_k"):
        blk = b.reshape(n, k // QK_K, 144 if dtype == "q4_k" else 176)
        d, dmin = _f16(blk[..., 0:2])[..., None], _f16(blk[..., 2:4])[..., None]
        sc, mn = _k_scales(blk[..., 4:16])
        if dtype == "q4_k":
            qs = blk[..., 16:].reshape(n, -1, 4, 32)  # 4 x 32 bytes: sub-blocks 2j (low) and 2j+1 (high)
            q = np.stack([qs & 0x0F, qs >> 4], axis=-2)
        else:
            qh, qs = blk[..., 16:48], blk[..., 48:].reshape(n, -1, 4, 32)
            hi = (qh[..., None, :] >> np.arange(8, dtype=np.uint8)[:, None]) & 1  # [.., 8 sub-blocks, 32]
            q = np.stack([qs & 0x0F, qs >> 4], axis=-2) | (hi.reshape(n, -1, 4, 2, 32) << 4)
        parts = {
            "scales": (d * sc).reshape(n, -1),
            "mins": -(dmin * mn).reshape(n, -1),
            "quants": q.reshape(n, k).astype(np.int8),
            "d": d[..., 0], "dmin": dmin[..., 0],
            "scale_ints": sc.reshape(n, -1).astype(np.int8), "min_ints": mn.reshape(n, -1).astype(np.int8),
        }
    else:  # q6_k
        blk = b.reshape(n, k // QK_K, 210)
        ql, qh = blk[..., :128].reshape(n, -1, 2, 64), blk[..., 128:192].reshape(n, -1, 2, 32)
        sc = blk[..., 192:208].view(np.int8).astype(np.float32)
        d = _f16(blk[..., 208:210])[..., None]
        low = np.concatenate([ql & 0x0F, ql >> 4], axis=-1).reshape(n, -1, 2, 4, 32)
        high = (qh[..., None, :] >> (2 * np.arange(4, dtype=np.uint8))[:, None]) & 3  # [.., 2, 4, 32]
        q = (low | (high << 4)).astype(np.int8) - np.int8(32)
        parts = {"scales": (d * sc).reshape(n, -1), "quants": q.reshape(n, k),
                 "d": d[..., 0], "scale_ints": sc.reshape(n, -1).astype(np.int8)}
    assert ("mins" in parts) == (dtype in AFFINE_MINS)
    return {name: np.ascontiguousarray(a) for name, a in parts.items()}


def affine_rp16(parts: dict[str, np.ndarray], dtype: str) -> dict[str, np.ndarray]:
    """The rows parts in the rp16 layout: quants as q8_0's rp16 ([N/16, K/32, 512] as
    [k-step][row][4 bytes], q + rp16_offset; 4-bit types two per byte, k-steps s and s + 4
    in one: [N/16, K/32, 256]), scales [N/16, K/G, 16] and mins [N/16, K/32, 16] (see
    `memory.weight_parts`)."""
    q = parts["quants"]
    n, k = q.shape
    g = n // 16
    steps = q.reshape(g, 16, k // 32, 8, 4).transpose(0, 2, 3, 1, 4).astype(np.int16) + rp16_offset(dtype)
    u = steps.astype(np.uint8)  # [g, blocks, k-step, row, byte]
    if dtype in RP16_NIBBLE_DTYPES:
        u = u[:, :, :4] | (u[:, :, 4:] << 4)
    out = {"quants": np.ascontiguousarray(u.reshape(g, k // 32, -1))}
    names = {"scales": "scales", "mins": "mins"}
    if dtype in K_QUANT_DTYPES:  # the integer scales and mins, and their factors per 256
        names = {"d": "d", "dmin": "dmin", "scales": "scale_ints", "mins": "min_ints"}
    for name, source in names.items():
        if source in parts:
            a = parts[source]
            out[name] = np.ascontiguousarray(a.reshape(g, 16, a.shape[1]).transpose(0, 2, 1))
    return out
