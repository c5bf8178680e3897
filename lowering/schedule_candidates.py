"""The schedules a tuner may time for a matmul: the cost model's choice and its neighbours.

Every candidate builds the same micro-kernel as the cost model's choice, only blocked
differently, so each output is computed by the same operations in the same order and a
tuned build gives the same results, bit for bit, as the default one:

- int8 dot products over rp16 weights, one token at a time (decode, and prefill where no
  token tile fits): units of 16 or 32 rows, walked 1, 2, 4 or 8 at a time in lock-step
  (`streams` counts each weight an epilogue reads). Every output's integer block sums are
  exact, and its f32 sum runs over the blocks in K order whatever the blocking;
- int8 dot products over rp16 weights, a tile of several tokens (prefill): the register
  tiles of 1 or 2 row groups x 2..8 tokens within the register budget;
- f32 outer products over a packed weight panel (prefill with f32 activations): the register
  tiles of 1..4 vectors of rows x 2..12 tokens within the register budget and the panel limit,
  multiplying in what the default multiplies in (`dot`). Each output's sum runs over K in order.

The rows-layout kernel (one vectorized dot product per output row, then a horizontal sum)
has a single schedule: any other would build the packed kernel, which sums in another order.
"""

from __future__ import annotations

from itertools import zip_longest

from xdsl.dialects.builtin import DYNAMIC_INDEX
from xdsl.utils.exceptions import VerifyException

from ck.dialects import kernel as kn
from ck.dialects.memory import layout_of
from ck.dialects.types import shape_of

LOCK_STEP = (1, 2, 4, 8)
"""Units a one-token int8 matmul may walk in lock-step."""
ROW_GROUPS = (1, 2)
"""16-row groups per unit of a one-token int8 matmul."""


def schedule_candidates(op: kn.GemvOp | kn.GemmOp, isa: str) -> list[kn.ScheduleAttr]:
    """The schedules `op` may take on `isa`: the cost model's choice first, then the others of
    the same micro-kernel (register tiles: each row count's largest first, in turn).
    Each one passes the op's verifier."""
    from ck.lowering.kernel_registry import matmul_schedule

    default = matmul_schedule(op, isa)
    others = [s for s in _same_kernel(op, isa, default) if s != default]
    return [default, *(s for s in others if _verifies(op, s))]


def _same_kernel(op: kn.GemvOp | kn.GemmOp, isa: str, default: kn.ScheduleAttr) -> list[kn.ScheduleAttr]:
    from ck.lowering.kernel_registry import (
        PACKED_PANEL_BYTES,
        f32_register_tiles,
        int8_register_tiles,
    )

    rows = [shape_of(w)[0] for w in op.w]
    weights = 2 if op.epilogue is not None else 1
    tokens = shape_of(op.x[0])[0]
    int8 = op.quantized_input and all(layout_of(w) == "rp16" for w in op.w)
    if int8 and default.tokens.data == 1:
        # a quantized output makes every unit whole blocks (2 groups for q8_0, 16 for q8_k) whatever the rows say
        groups = (default.rows.data // 16,) if op.quantized_output else ROW_GROUPS
        return [kn.ScheduleAttr(16 * g, 1, weights * lock) for g in groups for lock in LOCK_STEP
                if not any(n % (16 * g) for n in rows)]
    if int8:
        tiles = int8_register_tiles(isa, weights, rows, 8 if tokens == DYNAMIC_INDEX else tokens)
        return [kn.ScheduleAttr(16 * g, t, 1) for g, t in _interleaved(tiles) if t > 1]
    if default.tokens.data == 1:  # the rows-layout kernel
        return []
    k = shape_of(op.w[0])[1]
    block = op.output_block
    tiles = f32_register_tiles(isa, weights, rows, 12 if tokens == DYNAMIC_INDEX else tokens, block)
    return [kn.ScheduleAttr(r, t, 1, default.dot.data) for r, t in _interleaved(tiles)
            if t > 1 and k * r * weights * 4 <= PACKED_PANEL_BYTES]


def _interleaved(tiles: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(rows, tokens) tiles taken in turn from each row count, most tokens first (the row count
    whose largest tile does the most work leads), so that the first few already try every row
    count."""
    by_rows: dict[int, list[int]] = {}
    for r, t in tiles:
        by_rows.setdefault(r, []).append(t)
    order = sorted(by_rows, key=lambda r: (-r * max(by_rows[r]), r))
    columns = [[(r, t) for t in sorted(by_rows[r], reverse=True)] for r in order]
    return [tile for rank in zip_longest(*columns) for tile in rank if tile is not None]


def _verifies(op: kn.GemvOp | kn.GemmOp, schedule: kn.ScheduleAttr) -> bool:
    """`op` with `schedule` passes its verifier (the op is left as it was)."""
    before = op.schedule
    op.properties["schedule"] = schedule
    try:
        op.verify_()
        return True
    except VerifyException:
        return False
    finally:
        if before is None:
            del op.properties["schedule"]
        else:
            op.properties["schedule"] = before
