"""Where each kernel came from: the transformer op(s) it computes, and their layer.

`lower-transformer-to-kernel` stamps every kernel op with `ck.origin`, space-separated
references `transformer.<op>#<N>`: N is the op's index among all ops of the body of the
transformer-level function it was lowered from (`@forward` of transformer.mlir for
inference, whose clones @ck_decode and @ck_prefill keep its order; the train entry of
autodiff.mlir for training). `ck.layer` is its layer, absent for the header and footer.
Fusing passes merge the origins of the ops they replace; a kernel a pass adds for another
op (a quantize, a rope table) takes that op's. `lower-kernel-to-simd` copies both onto the
call, so the report and the profile can name the transformer op behind every C call.
"""

from __future__ import annotations

import re

from xdsl.dialects.builtin import IntegerAttr, StringAttr, i64
from xdsl.ir import Operation

ORIGIN_ATTR = "ck.origin"
LAYER_ATTR = "ck.layer"
COMMENT_ATTR = "ck.comment"
"""A simd-level kernel function's (and its call's) description: kernel, shape, variant and any
fallback's reason. The C target prints it as a comment; layout.json, the report and the profile
read it."""
_LAYER_WEIGHT = re.compile(r"^blk\.(\d+)\.")
_LAYER_NAME = re.compile(r"(?:^|_)l(\d+)_")


def origin_refs(op: Operation) -> list[str]:
    """The `transformer.<op>#<N>` references `op` carries (empty when it has none)."""
    attr = op.attributes.get(ORIGIN_ATTR)
    return attr.data.split() if isinstance(attr, StringAttr) else []


def layer_of(op: Operation) -> int | None:
    attr = op.attributes.get(LAYER_ATTR)
    return attr.value.data if isinstance(attr, IntegerAttr) else None


def set_provenance(op: Operation, refs: list[str], layer: int | None) -> None:
    unique = list(dict.fromkeys(refs))
    if unique:
        op.attributes[ORIGIN_ATTR] = StringAttr(" ".join(unique))
    if layer is not None:
        op.attributes[LAYER_ATTR] = IntegerAttr(layer, i64)


def merge_provenance(new: Operation, olds: list[Operation]) -> None:
    """`new` computes what `olds` did: it takes all their origins and the first layer."""
    refs = [r for o in [new, *olds] for r in origin_refs(o)]
    layers = [layer for o in [new, *olds] if (layer := layer_of(o)) is not None]
    set_provenance(new, refs, layers[0] if layers else None)


def transformer_layer(op: Operation) -> int | None:
    """The layer of a transformer op: from a `blk.N.` weight it reads, else from the importer's
    `lN_` value names (its results', then its operands')."""
    from ck.dialects import transformer as tf

    for v in op.operands:
        if isinstance(v.owner, tf.WeightOp) and (m := _LAYER_WEIGHT.match(v.owner.tensor_name.data)):
            return int(m.group(1))
    for v in [*op.results, *op.operands]:
        if v.name_hint and (m := _LAYER_NAME.search(v.name_hint)):
            return int(m.group(1))
    return None
