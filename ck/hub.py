"""`hf://OWNER/REPO/FILE.gguf`: a model on the Hugging Face Hub, wherever a model path is taken.

The reference is resolved through `huggingface_hub`: a file already in its cache is used as it is,
a missing one is downloaded into the cache (with huggingface_hub's progress bar), and with
`HF_HUB_OFFLINE=1` nothing is fetched (a file missing from the cache is then a one-line error).
`hf://OWNER/REPO@REVISION/FILE` pins a branch, tag or commit.
"""

from __future__ import annotations

import os
from pathlib import Path

from ck.errors import CkError

PREFIX = "hf://"


def is_hub_reference(path: str | os.PathLike[str]) -> bool:
    return isinstance(path, str) and path.startswith(PREFIX)


def parse(reference: str) -> tuple[str, str, str | None]:
    """(repo id, file in the repo, revision or None) of an hf:// reference."""
    rest = reference[len(PREFIX):]
    parts = rest.split("/", 2)
    if len(parts) < 3 or not all(parts):
        raise CkError(f"{reference}: a Hub reference is hf://OWNER/REPO/FILE.gguf")
    owner, repo, filename = parts
    repo, _, revision = repo.partition("@")
    if not repo:
        raise CkError(f"{reference}: a Hub reference is hf://OWNER/REPO/FILE.gguf")
    return f"{owner}/{repo}", filename, revision or None


def resolve(path: str | os.PathLike[str]) -> str | os.PathLike[str]:
    """The local file of `path`: itself, or for an hf:// reference its copy in the Hub cache
    (downloaded first unless HF_HUB_OFFLINE is set)."""
    if not is_hub_reference(path):
        return path
    assert isinstance(path, str)
    repo_id, filename, revision = parse(path)
    try:
        from huggingface_hub import hf_hub_download
        from huggingface_hub.errors import (
            EntryNotFoundError,
            HfHubHTTPError,
            LocalEntryNotFoundError,
            RepositoryNotFoundError,
            RevisionNotFoundError,
        )
    except ImportError:  # pragma: no cover -- a dependency of ck
        raise CkError(f"{path}: hf:// references need the huggingface_hub package") from None
    try:
        return Path(hf_hub_download(repo_id, filename, revision=revision))
    except LocalEntryNotFoundError:
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")
        raise CkError(
            f"{path}: not in the Hugging Face cache"
            + (" and HF_HUB_OFFLINE is set, so it was not downloaded" if offline else
               " and it could not be downloaded (no connection to the Hub?)")
        ) from None
    except RepositoryNotFoundError:
        raise CkError(f"{path}: no repository {repo_id} on the Hub (or it is private: log in with `hf auth login`)") from None
    except RevisionNotFoundError:
        raise CkError(f"{path}: the repository {repo_id} has no revision {revision}") from None
    except EntryNotFoundError:
        raise CkError(f"{path}: the repository {repo_id} has no file {filename}") from None
    except (HfHubHTTPError, OSError) as e:
        raise CkError(f"{path}: cannot download it: {e}") from None
