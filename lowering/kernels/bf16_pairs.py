"""bf16 pair products for the f32 matmuls (a `dot = bf16` schedule).

`vdpbf16ps` multiplies bf16 *pairs*: for each f32 lane j, acc[j] += a[2j] b[2j] +
a[2j+1] b[2j+1]. A matmul reduces over one dimension (K of the forward product, w's rows
for dx, the tokens for dw); pairs run along it. So each operand is rounded to bf16 once,
into scratch on the stack, in the layout the inner loop reads:

- the broadcast side (one scalar per output row of the tile): rows of bf16 in their
  natural order, since two neighbours along the reduced dimension are already a pair;
  a 32-bit load of one pair is broadcast to every lane (`vpbroadcastd`);
- the vector side (16 output columns per register): two rows along the reduced
  dimension interleaved lane by lane (`simd.pack_bf16`), so one 64-byte load holds the
  pairs of 16 columns.

Each f32 is rounded once to nearest even; the products are exact in f32 and accumulate
in f32, so the result is that of f32 arithmetic on bf16-rounded operands.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.dialects import memref
from xdsl.dialects.builtin import BFloat16Type
from xdsl.ir import SSAValue

from ck.lowering.kernels.builder import KernelBuilder

BF16 = BFloat16Type()
PAIR_LANES = 32  # bf16 lanes of one zmm: 16 pairs


def scratch(kb: KernelBuilder, shape: list[int], name: str) -> SSAValue:
    """A 64-byte aligned bf16 array of `shape` on the stack."""
    buf = kb.op(memref.AllocaOp.get(BF16, alignment=64, shape=shape))
    buf.name_hint = name
    return buf


def round_row(kb: KernelBuilder, src: SSAValue, row: SSAValue, width: int, dst: SSAValue, dst_row: SSAValue) -> None:
    """dst[dst_row, :width] = bf16(src[row, :width]): vectors, then one lane at a time."""

    def cols(c: SSAValue, n: int) -> None:
        kb.vstore(kb.convert(kb.vload(src, row, c, lanes=n), BF16), dst, dst_row, c)

    kb.blocked(0, kb.index(width), kb.lanes, cols, name="c")


def pack_pairs(kb: KernelBuilder, read: Callable[[SSAValue, SSAValue], SSAValue], pairs: int, width: int,
               dst: SSAValue) -> None:
    """dst[p, 2c + e] = bf16(read(2p + e, c)) for e in {0, 1}: rows 2p and 2p + 1 of a
    [2 pairs, width] f32 source interleaved, 16 columns at a time (`width` a multiple of
    16); `read(row, col)` gives the f32 vector of 16 columns there."""

    def pair(p: SSAValue) -> None:
        even = kb.mul(p, kb.index(2))
        odd = kb.add(even, kb.index(1))

        def cols(c: SSAValue) -> None:
            kb.vstore(kb.pack_bf16(read(even, c), read(odd, c)), dst, p, kb.mul(c, kb.index(2)))

        kb.loop(0, width, cols, step=kb.lanes, name="c")

    kb.loop(0, pairs, pair, name="p")


def pair_at(kb: KernelBuilder, buf: SSAValue, row: SSAValue, pair: SSAValue) -> SSAValue:
    """The bf16 pair buf[row, 2 pair .. 2 pair + 1] broadcast to every lane."""
    two = kb.vload(buf, row, kb.mul(pair, kb.index(2)), lanes=2)
    return kb.regroup(two, PAIR_LANES)


def outer_tile_bf16(
    kb: KernelBuilder, pairs: SSAValue, broadcast: Callable[[SSAValue, int], SSAValue],
    vector: Callable[[SSAValue, int], SSAValue], tile: int, vectors: int, init: list[SSAValue],
) -> list[SSAValue]:
    """sum over pairs p of broadcast(p, j) . vector(p, v) (bf16 pair products), for j < tile
    and v < vectors, accumulated in f32 registers: the bf16 twin of the f32 outer-product
    micro-kernel (broadcast gives a broadcast pair, vector 16 interleaved pairs)."""

    def step(p: SSAValue, *acc: SSAValue) -> list[SSAValue]:
        vs = [vector(p, v) for v in range(vectors)]
        out = list(acc)
        for j in range(tile):
            b = broadcast(p, j)
            for v in range(vectors):
                out[j * vectors + v] = kb.dot_bf16(acc[j * vectors + v], b, vs[v])
        return out

    return kb.loop(0, pairs, step, carried=init, name="p")
