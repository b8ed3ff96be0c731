"""Clean: bytes to text (encoding, binary and payload refusal, HTML or plain), then the article's body and
metadata with every removed line kept and its reason (trafilatura for HTML, our line classifier for text)."""
