"""Language of a body: a code when the text says enough, None when it is too short to tell."""

from transforms.clean.language import detect_language


def test_a_sentence_is_enough_to_tell_its_language():
    assert detect_language("The harbour board approved the new ferry pier on Monday after a long debate.") == "en"
    assert detect_language("Le conseil du port a approuvé lundi la nouvelle jetée après un long débat.") == "fr"


def test_a_short_text_has_no_language():
    assert detect_language("Ferry pier") is None
    assert detect_language("   \n\n   Ferry pier   \n") is None  # blank space does not count
