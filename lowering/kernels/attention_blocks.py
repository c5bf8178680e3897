"""Causal attention without a KV cache (training), over blocks of keys: forward and gradient.

Per kv head and per sequence, the keys (and, for the gradient, the values) are first
copied into a transposed panel `[head_dim][keys]` on the stack, with the key positions
beside them. A query's scores for a block of `lanes` keys are then `head_dim` vector
FMAs of a broadcast query element with a panel row, with no horizontal sums, which is
what small heads (head_dim 16: one vector) are otherwise dominated by. The causal mask
is a lane-wise `simd.select` on the positions (`key position <= query position`), so
the kernel means what kernel.attention says for any positions; when a sequence's
positions increase row by row (checked once per sequence), a query stops at its own
row's block, which skips the key blocks after the diagonal.

Per query row the softmax is taken in passes over its scratch row of scores, a vector
of keys at a time: the masked scores and their max, e^(score - max) and the sum, then
the values weighted one key row at a time (the gradient: five passes, as below).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects import func, memref
from xdsl.dialects.builtin import f32, i32
from xdsl.ir import Attribute, SSAValue

from ck.dialects import kernel as kn
from ck.dialects.simd import ISA_BITS
from ck.dialects.types import shape_of
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import lanes_for, new_builder, token_count

SCRATCH_LIMIT = 512 * 1024
"""Bytes of stack scratch (panels and score rows) a kernel may use; above it the
attention builders use their one-key-at-a-time form, which needs none."""

INT32_MAX = 2**31 - 1


@dataclass(frozen=True)
class Blocks:
    """The static shape of the blocked kernels: rows per sequence and its padded width."""

    seq: int  # rows of one sequence (seq_len, or every row)
    width: int  # seq rounded up to whole blocks of `lanes` keys
    lanes: int  # keys per block (the ISA's f32 lanes)


def blocks_for(op: kn.AttentionOp | kn.AttentionBwdOp, isa: str) -> Blocks | None:
    """The blocked layout of `op` on `isa`, or None when the row count is dynamic or the
    stack scratch (panels, score rows, the position row) would exceed SCRATCH_LIMIT."""
    tokens = shape_of(op.q)[0]
    seq = op.seq_len.value.data if op.seq_len is not None else tokens
    if tokens <= 0 or seq <= 0:
        return None
    lanes = ISA_BITS[isa] // 32
    width = -(-seq // lanes) * lanes
    panels, rows = (2, 4) if isinstance(op, kn.AttentionBwdOp) else (1, 2)
    if 4 * width * (panels * op.head_dim.value.data + rows + 1) > SCRATCH_LIMIT:
        return None
    return Blocks(seq, width, lanes)


def heads(op: kn.AttentionOp | kn.AttentionBwdOp) -> tuple[int, int, int, int, float]:
    """(query heads, kv heads, head_dim, query heads per kv head, scale)."""
    hq, hkv, hd = op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data
    return hq, hkv, hd, hq // hkv, op.scale.value.data


def query_bases(kb: KernelBuilder, g: SSAValue, j: SSAValue, group: int, together: int, hd: int) -> list[SSAValue]:
    """Column offsets of the query heads j .. j + together of kv head g's group."""
    first = kb.add(kb.mul(g, kb.index(group)), j)
    return [kb.mul(kb.add(first, kb.index(i)), kb.index(hd)) for i in range(together)]


def stack(kb: KernelBuilder, shape: list[int], name: str, element: Attribute = f32) -> SSAValue:
    """A 64-byte aligned scratch array of `shape` on the stack."""
    buf = kb.op(memref.AllocaOp.get(element, alignment=64, shape=shape))
    buf.name_hint = name
    return buf


def score_rows(kb: KernelBuilder, count: int, blocks: Blocks, name: str) -> list[SSAValue]:
    """`count` f32 scratch rows of one sequence's padded width."""
    return [stack(kb, [blocks.width], f"{name}{j}" if count > 1 else name) for j in range(count)]


def pack_sequence(
    kb: KernelBuilder, sources: list[SSAValue], panels: list[SSAValue], kpos: SSAValue, pos: SSAValue,
    kv_base: SSAValue, hd: int, s_lo: SSAValue, n: SSAValue, blocks: Blocks,
) -> SSAValue:
    """panel[d][s] = source[s_lo + s, kv_base + d] for each (source, panel), kpos[s] its
    position (padding: zero panels, positions INT32_MAX, never visible); returns whether
    the positions increase row by row (an i1)."""

    def row(s: SSAValue) -> None:
        at = kb.add(s_lo, s)
        for src, panel in zip(sources, panels, strict=True):
            for d in range(hd):
                kb.store(kb.load(src, at, kb.offset(kv_base, d)), panel, kb.index(d), s)
        kb.store(kb.load(pos, at), kpos, s)

    kb.loop(0, n, row, name="s")

    def pad(s: SSAValue) -> None:
        for panel in panels:
            for d in range(hd):
                kb.store(kb.f32(0.0), panel, kb.index(d), s)
        kb.store(kb.i32(INT32_MAX), kpos, s)

    kb.loop(n, blocks.width, pad, name="s")

    def step(s: SSAValue, bad: SSAValue) -> list[SSAValue]:
        rises = kb.cmpi(kb.load(kpos, kb.sub(s, kb.index(1))), kb.load(kpos, s), "slt")
        return [kb.select(rises, bad, kb.add(bad, kb.index(1)))]

    (bad,) = kb.loop(1, n, step, carried=[kb.index(0)], name="s")
    return kb.cmpi(bad, kb.index(0), "eq")


def key_end(kb: KernelBuilder, monotone: SSAValue, t: SSAValue, s_lo: SSAValue, n: SSAValue) -> tuple[SSAValue, SSAValue]:
    """(end, padded end): the keys query row t reads, relative to the sequence start: up to
    its own row when positions rise row by row, else the whole sequence; padded to blocks."""
    end = kb.select(monotone, kb.add(kb.sub(t, s_lo), kb.index(1)), n)
    lanes = kb.index(kb.lanes)
    return end, kb.mul(kb.div(kb.add(end, kb.index(kb.lanes - 1)), lanes), lanes)


Term = tuple[SSAValue, SSAValue, SSAValue, SSAValue]
"""(x, row t, column base, panel): the block sum_d x[t, base + d] * panel[d][b ..]."""


def panel_dots(kb: KernelBuilder, b: SSAValue, terms: list[Term], hd: int) -> list[SSAValue]:
    """One vector of `lanes` dot products per term for the key block at b."""
    out = []
    for x, t, base, panel in terms:
        acc = kb.vzero_lanes()
        for d in range(hd):
            acc = kb.vfma(kb.splat(kb.load(x, t, kb.offset(base, d))), kb.vload(panel, kb.index(d), b), acc)
        out.append(acc)
    return out


def masked_scores(
    kb: KernelBuilder, terms: list[Term], kpos: SSAValue, p: SSAValue, scale: float, hd: int,
    rows: list[SSAValue], padded: SSAValue, also: Callable[[SSAValue], None] | None = None,
) -> list[SSAValue]:
    """rows[j][s] = scale * (term j's dot) where kpos[s] <= p, else -inf, over [0, padded) a
    block at a time; returns each row's max. `also(b)` adds more work to each block."""
    p_vec = kb.splat(p)
    scale_v, minus_inf = kb.splat(kb.f32(scale)), kb.splat(kb.f32(float("-inf")))

    def block(b: SSAValue, *best: SSAValue) -> list[SSAValue]:
        dots = panel_dots(kb, b, terms, hd)
        seen = kb.vload(kpos, b)
        out = []
        for row, dot, top in zip(rows, dots, best, strict=True):
            score = kb.vselect("sle", seen, p_vec, kb.vmul(dot, scale_v), minus_inf)
            kb.vstore(score, row, b)
            out.append(kb.vmax(top, score))
        if also is not None:
            also(b)
        return out

    tops = kb.loop(0, padded, block, step=kb.lanes, carried=[minus_inf] * len(rows), name="b")
    return [kb.vmax_lanes(top) for top in tops]


def exp_in_place(
    kb: KernelBuilder, rows: list[SSAValue], tops: list[SSAValue], lo: SSAValue | int, main: SSAValue,
    hi: SSAValue | None = None,
) -> list[SSAValue]:
    """rows[j][s] = e^(rows[j][s] - tops[j]) over [lo, main) a vector at a time (masked scores
    become 0), then over [main, hi) one at a time when hi is given; returns each row's sum."""

    def vec(s: SSAValue, *acc: SSAValue) -> list[SSAValue]:
        out = []
        for row, top, total in zip(rows, tops, acc, strict=True):
            e = kb.vexp(kb.vsub(kb.vload(row, s), kb.splat(top)))
            kb.vstore(e, row, s)
            out.append(kb.vadd(total, e))
        return out

    def one(s: SSAValue, *acc: SSAValue) -> list[SSAValue]:
        out = []
        for row, top, total in zip(rows, tops, acc, strict=True):
            e = kb.exp(kb.fsub(kb.load(row, s), top))
            kb.store(e, row, s)
            out.append(kb.fadd(total, e))
        return out

    sums = kb.loop(lo, main, vec, step=kb.lanes, carried=[kb.vzero_lanes()] * len(rows), name="s")
    totals = [kb.vsum(x) for x in sums]
    return totals if hi is None else kb.loop(main, hi, one, carried=totals, name="s")


def _for_each_sequence(
    kb: KernelBuilder, op: kn.AttentionOp | kn.AttentionBwdOp, blocks: Blocks, sources: list[str], together: int,
    row: Callable[..., None],
) -> None:
    """The loop nest both kernels share: this thread's kv heads g -> sequences (packed into
    panels) -> groups of `together` query heads -> query rows t: row(kv_base, bases, t, s_lo,
    n, monotone, panels, kpos)."""
    _, hkv, hd, group, _ = heads(op)
    a = kb.args
    panels = [stack(kb, [hd, blocks.width], f"{src}t") for src in sources]
    kpos = stack(kb, [blocks.width], "kpos", i32)
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = token_count(kb, a["q"])

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))
        if isinstance(op, kn.AttentionBwdOp):  # dk, dv of this head are sums over its query rows
            width = lanes_for(kb.lanes, hd)
            zero = kb.vzero_lanes(width)

            def clear(s: SSAValue) -> None:
                for c in range(0, hd, width):
                    kb.vstore(zero, a["dk"], s, kb.offset(kv_base, c))
                    kb.vstore(zero, a["dv"], s, kb.offset(kv_base, c))

            kb.loop(0, n_tokens, clear, name="s")

        def sequence(s_lo: SSAValue) -> None:
            n = kb.sub(kb.min(kb.add(s_lo, kb.index(blocks.seq)), n_tokens), s_lo)
            monotone = pack_sequence(kb, [a[src] for src in sources], panels, kpos, a["positions"], kv_base, hd,
                                     s_lo, n, blocks)

            def q_heads(j: SSAValue) -> None:
                bases = query_bases(kb, g, j, group, together, hd)
                kb.loop(s_lo, kb.add(s_lo, n), lambda t: row(kv_base, bases, t, s_lo, n, monotone, panels, kpos),
                        name="t")

            kb.loop(0, group, q_heads, step=together, name="j")

        kb.loop(0, n_tokens, sequence, step=blocks.seq, name="s0")

    kb.loop(lo, hi, kv_head, name="g")


def build_attention_blocks(op: kn.AttentionOp, name: str, isa: str, comment: str, blocks: Blocks) -> tuple[func.FuncOp, str]:
    """y = softmax(scale q k^T, causal by position) v over each sequence's own rows."""
    _, _, hd, group, scale = heads(op)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    q, v, y, pos = a["q"], a["v"], a["y"], a["positions"]
    width = lanes_for(kb.lanes, hd)  # value vectors along the head
    together = 2 if group % 2 == 0 else 1
    rows = score_rows(kb, together, blocks, "scores")

    def row(kv_base: SSAValue, bases: list[SSAValue], t: SSAValue, s_lo: SSAValue, n: SSAValue,
            monotone: SSAValue, panels: list[SSAValue], kpos: SSAValue) -> None:
        end, padded = key_end(kb, monotone, t, s_lo, n)
        terms = [(q, t, base, panels[0]) for base in bases]
        tops = masked_scores(kb, terms, kpos, kb.load(pos, t), scale, hd, rows, padded)
        sums = exp_in_place(kb, rows, tops, 0, padded)

        def weigh(s: SSAValue, *acc: SSAValue) -> list[SSAValue]:
            at = kb.add(s_lo, s)
            values = [kb.vload(v, at, kb.offset(kv_base, c), lanes=width) for c in range(0, hd, width)]
            out = []
            for j, scores in enumerate(rows):
                w = kb.splat(kb.load(scores, s), width)
                out += [kb.vfma(w, value, acc[j * len(values) + i]) for i, value in enumerate(values)]
            return out

        chunks = hd // width
        acc = kb.loop(0, end, weigh, carried=[kb.vzero_lanes(width)] * (together * chunks), name="s")
        for j in range(together):
            inv = kb.splat(kb.fdiv(kb.f32(1.0), sums[j]), width)
            for c in range(chunks):
                kb.vstore(kb.vmul(acc[j * chunks + c], inv), y, t, kb.offset(bases[j], c * width))

    _for_each_sequence(kb, op, blocks, ["k"], together, row)
    return kb.finish(), (f"no KV cache, key blocks of {kb.lanes} from a transposed key panel, causal mask by select, blocks "
                         f"after the diagonal skipped when positions rise; {together} query heads per panel load, "
                         "split by kv head")


def build_attention_bwd_blocks(op: kn.AttentionBwdOp, name: str, isa: str, comment: str,
                               blocks: Blocks) -> tuple[func.FuncOp, str]:
    """Gradients of causal GQA without a cache, per query row t of `together` query heads
    (scratch rows P and DP hold one value per key of the sequence):

      A: P[s] = scale q.k_s (-inf where not visible), DP[s] = dout.v_s, by key blocks
         from the transposed K and V panels; and max P;
      B: P[s] = e^(P[s] - max), l = sum P;   C: D = sum P[s] DP[s] / l;
      D: DP[s] = scale P[s] / l (DP[s] - D) (= dS), P[s] = P[s] / l;
      E: dq_t += dS k_s, dk_s += dS q_t, dv_s += P[s] dout_t, one key row at a time.
    A thread owns dk, dv of its kv heads and dq of the query heads in their groups.
    """
    _, _, hd, group, scale = heads(op)
    kb = new_builder(name, op, isa, comment)
    a = kb.args
    q, k, pos, dout = a["q"], a["k"], a["positions"], a["dout"]
    dq, dk, dv = a["dq"], a["dk"], a["dv"]
    width = lanes_for(kb.lanes, hd)
    chunks = hd // width
    together = 2 if group % 2 == 0 and chunks <= 2 else 1
    P, DP = score_rows(kb, together, blocks, "p"), score_rows(kb, together, blocks, "dp")

    def row(kv_base: SSAValue, bases: list[SSAValue], t: SSAValue, s_lo: SSAValue, n: SSAValue,
            monotone: SSAValue, panels: list[SSAValue], kpos: SSAValue) -> None:
        kt, vt = panels
        end, padded = key_end(kb, monotone, t, s_lo, n)

        def dout_dots(b: SSAValue) -> None:
            for dp_row, dot in zip(DP, panel_dots(kb, b, [(dout, t, base, vt) for base in bases], hd), strict=True):
                kb.vstore(dot, dp_row, b)

        tops = masked_scores(kb, [(q, t, base, kt) for base in bases], kpos, kb.load(pos, t), scale, hd, P, padded,
                             also=dout_dots)
        sums = exp_in_place(kb, P, tops, 0, padded)

        def weigh(b: SSAValue, *acc: SSAValue) -> list[SSAValue]:
            return [kb.vfma(kb.vload(P[i], b), kb.vload(DP[i], b), acc[i]) for i in range(together)]

        weighted = kb.loop(0, padded, weigh, step=kb.lanes, carried=[kb.vzero_lanes()] * together, name="b")
        inv = [kb.fdiv(kb.f32(1.0), total) for total in sums]
        big_d = [kb.fmul(kb.vsum(w), i) for w, i in zip(weighted, inv, strict=True)]

        def softmax_grad(b: SSAValue) -> None:
            for i in range(together):
                pn = kb.vmul(kb.vload(P[i], b), kb.splat(inv[i]))
                ds = kb.vmul(kb.vmul(pn, kb.splat(kb.f32(scale))), kb.vsub(kb.vload(DP[i], b), kb.splat(big_d[i])))
                kb.vstore(ds, DP[i], b)
                kb.vstore(pn, P[i], b)

        kb.loop(0, padded, softmax_grad, step=kb.lanes, name="b")

        def chunk_at(buf: SSAValue, at: SSAValue, base: SSAValue, c: int) -> SSAValue:
            return kb.vload(buf, at, kb.offset(base, c * width), lanes=width)

        qv = [[chunk_at(q, t, base, c) for c in range(chunks)] for base in bases]
        dov = [[chunk_at(dout, t, base, c) for c in range(chunks)] for base in bases]

        def key_grads(s: SSAValue, *acc: SSAValue) -> list[SSAValue]:
            at = kb.add(s_lo, s)
            kv = [chunk_at(k, at, kv_base, c) for c in range(chunks)]
            dk_new = [chunk_at(dk, at, kv_base, c) for c in range(chunks)]
            dv_new = [chunk_at(dv, at, kv_base, c) for c in range(chunks)]
            out = list(acc)
            for i in range(together):
                ds = kb.splat(kb.load(DP[i], s), width)
                pn = kb.splat(kb.load(P[i], s), width)
                for c in range(chunks):
                    out[i * chunks + c] = kb.vfma(ds, kv[c], acc[i * chunks + c])
                    dk_new[c] = kb.vfma(ds, qv[i][c], dk_new[c])
                    dv_new[c] = kb.vfma(pn, dov[i][c], dv_new[c])
            for c in range(chunks):
                kb.vstore(dk_new[c], dk, at, kb.offset(kv_base, c * width))
                kb.vstore(dv_new[c], dv, at, kb.offset(kv_base, c * width))
            return out

        dq_acc = kb.loop(0, end, key_grads, carried=[kb.vzero_lanes(width)] * (together * chunks), name="s")
        for i in range(together):
            for c in range(chunks):
                kb.vstore(dq_acc[i * chunks + c], dq, t, kb.offset(bases[i], c * width))

    _for_each_sequence(kb, op, blocks, ["k", "v"], together, row)
    return kb.finish(), (f"key blocks of {kb.lanes} from transposed K and V panels, five passes per query row, "
                         f"blocks after the diagonal skipped when positions rise; {together} query heads per "
                         "panel load, split by kv head")
