"""Causal grouped-query attention: over the KV cache (inference), over its own keys
(training), and its gradient. Every kernel splits by kv head: a thread owns the kv heads
it is given and the query heads that read them."""

from __future__ import annotations

from collections.abc import Callable

from xdsl.dialects import func, memref
from xdsl.dialects.builtin import f32
from xdsl.ir import SSAValue
from xdsl.utils.exceptions import PassFailedException

from ck.dialects import kernel as kn
from ck.dialects.types import shape_of
from ck.lowering.kernels.attention_blocks import (
    blocks_for, build_attention_bwd_blocks, build_attention_blocks, exp_in_place, heads, query_bases,
)
from ck.lowering.kernels.builder import KernelBuilder
from ck.lowering.kernels.common import Builder, attend_row, dot_rows, general, lanes_for, new_builder, token_count
from ck.lowering.kernels.quantize import quantize_blocks


def _axpy(kb: KernelBuilder, coef: SSAValue, src: tuple[SSAValue, ...], dst: tuple[SSAValue, ...], lanes: int) -> None:
    """dst[row, col ..] += coef * src[row, col ..] for (buffer, row, col) triples, one vector."""
    total = kb.vfma(coef, kb.vload(*src, lanes=lanes), kb.vload(*dst, lanes=lanes))
    kb.vstore(total, *dst)



def _key_range(kb: KernelBuilder, op: kn.AttentionOp | kn.AttentionBwdOp, t: SSAValue, n_tokens: SSAValue) -> tuple[SSAValue, SSAValue]:
    """Rows the query row t may attend to: all rows, or with `seq_len` L only its own sequence
    [t - t % L, t - t % L + L) (a batch of sequences laid out row after row)."""
    if op.seq_len is None:
        return kb.index(0), n_tokens
    length = kb.index(op.seq_len.value.data)
    start = kb.sub(t, kb.rem(t, length))
    return start, kb.min(kb.add(start, length), n_tokens)



def _visible(kb: KernelBuilder, pos: SSAValue, s: SSAValue, p: SSAValue) -> SSAValue:
    """Key s is visible to a query at position p: positions[s] <= p (causal by position)."""
    return kb.cmpi(kb.load(pos, s), p, "sle")



ChunkAt = Callable[[SSAValue, int], SSAValue]
"""(key row s, chunk c) -> the f32 vector of chunk c (lanes c*L..) of that key's or value's head."""


def attend_three_pass(
    kb: KernelBuilder, q: SSAValue, t: SSAValue, q_bases: list[SSAValue], key_at: ChunkAt, value_at: ChunkAt,
    y: SSAValue, hd: int, scale: float, lanes: int, s_lo: SSAValue, s_hi: SSAValue, scores: list[SSAValue],
    visible: Callable[[SSAValue], SSAValue] | None = None,
) -> None:
    """y[t, head] = softmax(scale q k_s) v_s over key rows s_lo <= s < s_hi (those `visible`
    allows), for the query heads at q_bases (of one GQA group: each key and value row is
    loaded once for all of them), in three passes: the scores (into a scratch row each,
    indexed by s; -inf where not visible) and their max; e^(score - max) a vector at a time,
    and its sum; the values weighted by those, summed in registers."""
    chunks, n = hd // lanes, len(q_bases)
    zero = kb.vzero_lanes(lanes)
    q_vecs = [[kb.vload(q, t, kb.add(base, kb.index(c * lanes)), lanes=lanes) for c in range(chunks)] for base in q_bases]
    minus_inf = kb.f32(float("-inf"))

    def score(s: SSAValue, *best: SSAValue) -> list[SSAValue]:
        keys = [key_at(s, c) for c in range(chunks)]
        seen = visible(s) if visible is not None else None
        out = []
        for j in range(n):
            dot = zero
            for c in range(chunks):
                dot = kb.vfma(q_vecs[j][c], keys[c], dot)
            value = kb.fmul(kb.vsum(dot), kb.f32(scale))
            if seen is not None:
                value = kb.select(seen, value, minus_inf)
            kb.store(value, scores[j], s)
            out.append(kb.fmax(best[j], value))
        return out

    top = kb.loop(s_lo, s_hi, score, carried=[minus_inf] * n, name="s")
    sums = exp_in_place(kb, scores, top, s_lo, kb.blocks_end(s_lo, s_hi, kb.lanes), s_hi)

    def weigh(s: SSAValue, *acc: SSAValue) -> list[SSAValue]:
        values = [value_at(s, c) for c in range(chunks)]
        out = []
        for j in range(n):
            p = kb.splat(kb.load(scores[j], s), lanes)
            out += [kb.vfma(p, values[c], acc[j * chunks + c]) for c in range(chunks)]
        return out

    acc = kb.loop(s_lo, s_hi, weigh, carried=[zero] * (n * chunks), name="s")
    for j in range(n):
        inv = kb.splat(kb.fdiv(kb.f32(1.0), sums[j]), lanes)
        for c in range(chunks):
            kb.vstore(kb.vmul(acc[j * chunks + c], inv), y, t, kb.add(q_bases[j], kb.index(c * lanes)))


SCORES_STACK_BYTES = 1 << 20
"""Score rows a thread may keep on its stack (the caller's main thread has 8 MiB, shared with the
other kernels' scratch): longer contexts take the online-softmax pass, which needs none."""


def scratch_rows(kb: KernelBuilder, count: int, length: int, name: str) -> list[SSAValue]:
    """`count` f32 rows of `length` (rounded up to whole vectors) on the stack."""
    size = -(-length // kb.lanes) * kb.lanes
    rows = []
    for j in range(count):
        buf = kb.op(memref.AllocaOp.get(f32, alignment=64, shape=[size]))
        buf.name_hint = f"{name}{j}" if count > 1 else name
        rows.append(buf)
    return rows


def build_attention(op: kn.AttentionOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Causal GQA over the KV cache ([kv head][position][head_dim], f32 or f16), one
    online-softmax pass per (query token, head).

    Each thread owns whole KV heads: it writes their new K/V rows into the cache and
    computes the query heads that read them (and quantizes their outputs, with
    quantize = q8_0), so no other thread touches that data.
    """
    if op.k_cache is None or op.v_cache is None:
        raise PassFailedException("kernel.attention: the simd kernel needs the KV cache (plan-memory binds it)")
    hq, hkv, hd = op.n_heads.value.data, op.n_kv_heads.value.data, op.head_dim.value.data
    group = hq // hkv
    scale = op.scale.value.data
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, hd)
    a = kb.args
    q, k, v, pos, kc, vc, y = a["q"], a["k"], a["v"], a["positions"], a["k_cache"], a["v_cache"], a["y"]
    cache_elt = op.k_cache.type.element_type  # type: ignore[union-attr]
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = token_count(kb, q)
    chunks = hd // lanes
    vectors = chunks <= 8 and lanes > 1
    pair = 2 if vectors and group % 2 == 0 else 1
    context = shape_of(op.k_cache)[-2]

    def sequence(t: SSAValue) -> tuple[SSAValue, ...]:
        """The leading cache index of row t: its sequence in a batched step, none otherwise."""
        return (kb.i32_to_index(kb.load(a["slots"], t)),) if op.slots is not None else ()
    in_registers = vectors and pair * context * 4 <= SCORES_STACK_BYTES
    together = pair if in_registers else 1  # query heads sharing each key/value load
    scores = scratch_rows(kb, together, context, "scores") if in_registers else []

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))

        def write(t: SSAValue) -> None:
            p = kb.i32_to_index(kb.load(pos, t))
            seq = sequence(t)

            def chunk(c: SSAValue) -> None:
                col = kb.add(kv_base, c)
                for src, cache in ((k, kc), (v, vc)):
                    val = kb.vload(src, t, col, lanes=lanes)
                    kb.vstore(val if cache_elt == f32 else kb.convert(val, cache_elt), cache, *seq, g, p, c)

            kb.loop(0, hd, chunk, step=lanes, name="c")

        kb.loop(0, n_tokens, write, name="t")

        def token(t: SSAValue) -> None:
            p = kb.i32_to_index(kb.load(pos, t))
            end = kb.add(p, kb.index(1))
            seq = sequence(t)

            def q_heads(j: SSAValue) -> None:
                bases = query_bases(kb, g, j, group, together, hd)
                if in_registers:
                    attend_three_pass(kb, q, t, bases,
                                      lambda s, c: kb.to_f32(kb.vload(kc, *seq, g, s, kb.index(c * lanes), lanes=lanes)),
                                      lambda s, c: kb.to_f32(kb.vload(vc, *seq, g, s, kb.index(c * lanes), lanes=lanes)),
                                      y, hd, scale, lanes, kb.index(0), end, scores)
                else:
                    attend_row(kb, q, t, bases[0], lambda s, c: kb.to_f32(kb.vload(kc, *seq, g, s, c, lanes=lanes)),
                               lambda s, c: kb.to_f32(kb.vload(vc, *seq, g, s, c, lanes=lanes)), y, hd, scale, lanes,
                               0, end)

            kb.loop(0, group, q_heads, step=together, name="j")
            if op.quantized_output:  # this kv head's query heads, whole blocks
                q_dtype = op.output_act_dtype
                blocks = group * hd // kn.act_block(q_dtype)
                quantize_blocks(kb, y, t, 0, blocks, *(a[n] for n in kn.q8_names("y")),
                                col0=kb.mul(g, kb.index(group * hd)), dtype=q_dtype)

        kb.loop(0, n_tokens, token, name="t")

    kb.loop(lo, hi, kv_head, name="g")
    key = f"part:heads:{hkv}"
    for arg in ("q", "k", "v", "k_cache", "v_cache", *(("slots",) if op.slots is not None else ())):
        kb.touch(arg, "rw" if arg.endswith("cache") else "r", key)
    for out in op.output_names():
        kb.touch(out, "w", key)
    cache = "f16" if cache_elt != f32 else "f32"
    where = (f"scores, exp in vectors, then values, {together} query heads per key load" if in_registers
             else "online softmax, output row in memory"
             + (f": {pair} score rows of {context} positions would not fit the stack" if vectors else ""))
    q8 = ", quantized output" if op.quantized_output else ""
    rows = ", each row its own sequence's cache" if op.slots is not None else ""
    return kb.finish(), (general(lanes, kb, f"head_dim={hd}")
                         + f", {cache} KV cache per head{rows}, three passes ({where}){q8}, split by kv head")


def build_attention_nocache(op: kn.AttentionOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Causal GQA of q over the T keys k, v themselves (training: no KV cache). Query t
    sees key s when positions[s] <= positions[t]. Over key blocks from a transposed key
    panel (attention_blocks) when the rows are static and the panel fits on the stack;
    else one online-softmax pass per (query, head). Split by kv head, as the cached kernel."""
    if op.variant.data != "prefill":
        raise PassFailedException("kernel.attention: decode attention needs the KV cache (kv_slot)")
    blocks = blocks_for(op, isa)
    if blocks is not None:
        return build_attention_blocks(op, name, isa, comment, blocks)
    hq, hkv, hd, group, scale = heads(op)
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, hd)
    a = kb.args
    q, k, v, pos, y = a["q"], a["k"], a["v"], a["positions"], a["y"]
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = token_count(kb, q)

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))

        def q_head(j: SSAValue) -> None:
            (base,) = query_bases(kb, g, j, group, 1, hd)

            def token(t: SSAValue) -> None:
                p = kb.load(pos, t)
                s_lo, s_hi = _key_range(kb, op, t, n_tokens)
                attend_row(kb, q, t, base, lambda s, c: kb.vload(k, s, kb.add(kv_base, c), lanes=lanes),
                           lambda s, c: kb.vload(v, s, kb.add(kv_base, c), lanes=lanes), y, hd, scale, lanes,
                           s_lo, s_hi, lambda s: _visible(kb, pos, s, p))

            kb.loop(0, n_tokens, token, name="t")

        kb.loop(0, group, q_head, name="j")

    kb.loop(lo, hi, kv_head, name="g")
    return kb.finish(), (general(lanes, kb, f"head_dim={hd}")
                         + ", no KV cache (causal by position), online softmax, split by kv head")


def build_attention_any(op: kn.AttentionOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """kernel.attention: over the KV cache when the op has one, else over its own k, v."""
    if op.k_cache is None:
        return build_attention_nocache(op, name, isa, comment)
    return build_attention(op, name, isa, comment)



def build_attention_bwd(op: kn.AttentionBwdOp, name: str, isa: str, comment: str) -> tuple[func.FuncOp, str]:
    """Gradients of causal GQA without a cache (masking as build_attention_nocache): over
    key blocks (attention_blocks) when they fit, else in this one-key-at-a-time form.

    Per (query head, query t), with P = softmax(scale q k^T) over the visible keys:
      pass 1 (online softmax): the row's max, sum, and D = sum_s P[s] (dout . v_s);
      pass 2: dS = P (dout . v_s - D), then dq_t += scale dS k_s,
              dk_s += scale dS q_t, dv_s += P dout_t.
    Split by kv head: a thread owns dk, dv of its kv heads and dq of the query heads in
    their groups.
    """
    blocks = blocks_for(op, isa)
    if blocks is not None:
        return build_attention_bwd_blocks(op, name, isa, comment, blocks)
    hq, hkv, hd, group, scale = heads(op)
    kb = new_builder(name, op, isa, comment)
    lanes = lanes_for(kb.lanes, hd)
    a = kb.args
    dout, q, k, v, pos = a["dout"], a["q"], a["k"], a["v"], a["positions"]
    dq, dk, dv = a["dq"], a["dk"], a["dv"]
    lo, hi = kb.split(kb.index(hkv), a["tid"], a["nth"])
    n_tokens = token_count(kb, q)
    scale_c = kb.f32(scale)

    def kv_head(g: SSAValue) -> None:
        kv_base = kb.mul(g, kb.index(hd))

        def zero(s: SSAValue) -> None:
            def chunk(c: SSAValue) -> None:
                col = kb.add(kv_base, c)
                kb.vstore(kb.vzero_lanes(lanes), dk, s, col)
                kb.vstore(kb.vzero_lanes(lanes), dv, s, col)

            kb.loop(0, hd, chunk, step=lanes, name="c")

        kb.loop(0, n_tokens, zero, name="s")

        def q_head(j: SSAValue) -> None:
            q_base = kb.mul(kb.add(kb.mul(g, kb.index(group)), j), kb.index(hd))

            def token(t: SSAValue) -> None:
                p = kb.load(pos, t)

                def stats(s: SSAValue, m: SSAValue, l: SSAValue, d: SSAValue) -> list[SSAValue]:
                    def attend() -> list[SSAValue]:
                        score = kb.fmul(dot_rows(kb, q, t, q_base, k, s, kv_base, hd, lanes), scale_c)
                        dp = dot_rows(kb, dout, t, q_base, v, s, kv_base, hd, lanes)
                        m_new = kb.fmax(m, score)
                        corr = kb.exp(kb.fsub(m, m_new))
                        w = kb.exp(kb.fsub(score, m_new))
                        return [m_new, kb.fadd(kb.fmul(l, corr), w), kb.fadd(kb.fmul(d, corr), kb.fmul(w, dp))]

                    return kb.if_(_visible(kb, pos, s, p), attend, lambda: [m, l, d], [f32, f32, f32])

                zero_f = kb.f32(0.0)
                s_lo, s_hi = _key_range(kb, op, t, n_tokens)
                m, l, d = kb.loop(s_lo, s_hi, stats, carried=[kb.f32(float("-inf")), zero_f, zero_f], name="s")
                lse = kb.fadd(m, kb.log(l))
                big_d = kb.fdiv(d, l)

                def zero_dq(c: SSAValue) -> None:
                    kb.vstore(kb.vzero_lanes(lanes), dq, t, kb.add(q_base, c))

                kb.loop(0, hd, zero_dq, step=lanes, name="c")

                def grads(s: SSAValue) -> None:
                    def attend() -> None:
                        score = kb.fmul(dot_rows(kb, q, t, q_base, k, s, kv_base, hd, lanes), scale_c)
                        dp = dot_rows(kb, dout, t, q_base, v, s, kv_base, hd, lanes)
                        prob = kb.exp(kb.fsub(score, lse))
                        ds = kb.fmul(scale_c, kb.fmul(prob, kb.fsub(dp, big_d)))
                        ds_v, p_v = kb.splat(ds, lanes), kb.splat(prob, lanes)

                        def chunk(c: SSAValue) -> None:
                            qcol, kcol = kb.add(q_base, c), kb.add(kv_base, c)
                            _axpy(kb, ds_v, (k, s, kcol), (dq, t, qcol), lanes)  # dq_t += scale dS k_s
                            _axpy(kb, ds_v, (q, t, qcol), (dk, s, kcol), lanes)  # dk_s += scale dS q_t
                            _axpy(kb, p_v, (dout, t, qcol), (dv, s, kcol), lanes)  # dv_s += P dout_t

                        kb.loop(0, hd, chunk, step=lanes, name="c")
                        return None

                    kb.if_(_visible(kb, pos, s, p), attend)

                kb.loop(s_lo, s_hi, grads, name="s")

            kb.loop(0, n_tokens, token, name="t")

        kb.loop(0, group, q_head, name="j")

    kb.loop(lo, hi, kv_head, name="g")
    return kb.finish(), general(lanes, kb, f"head_dim={hd}") + ", two passes per (query, head), split by kv head"


BUILDERS: dict[type[kn.KernelOp], tuple[str, Builder]] = {
    kn.AttentionOp: ("attention", build_attention_any),
    kn.AttentionBwdOp: ("attention_bwd", build_attention_bwd),
}
