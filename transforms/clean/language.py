"""Language of a body text (py3langid: offline, ~1 s model load once per process)."""

from __future__ import annotations

from functools import lru_cache

MIN_CHARS = 20


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code, or None for text too short or too uncertain to tell."""
    sample = text[:5000]
    if len(sample.strip()) < MIN_CHARS:
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= 0.5 else None
