"""The one folding every comparison key starts from: Unicode forms, curly apostrophes and case do not make two
texts different."""

from transforms.text import blank_unassigned, fold, line_key, word_units


def test_fold_joins_unicode_forms_apostrophes_and_case():
    assert fold("Ｆｅｒｒｙ") == "ferry"  # full-width letters (NFKC)
    assert fold("ﬁre") == "fire"  # a ligature
    assert fold("Port’s ‘new’ pier") == "port's 'new' pier"
    assert fold("Harbour") == fold("HARBOUR") == fold("harbour")


def test_a_line_key_is_its_words_only():
    assert line_key("  Ferry strike ends — again!  ") == "ferry strike ends again"
    assert line_key("FERRY STRIKE ENDS, AGAIN") == line_key("Ferry strike ends again")
    assert line_key("Pier 4: 'closed'") == "pier 4 closed"
    assert line_key("— * —") == ""


def test_word_units_count_characters_where_words_are_not_separated_by_spaces():
    assert word_units("Ferry strike ends on Monday") == 5
    assert word_units("港の船が月曜日に止まった") == 12  # Japanese: one unit per character
    assert word_units("Larkspur社の新型船") == 1 + 5  # a Latin name glued to kana and Han
    assert word_units("부산 항구 파업") == 3  # Hangul is written with spaces


def test_a_code_point_without_text_becomes_a_space_so_words_stay_apart():
    assert blank_unassigned("0\U00018cd60") == "0 0"  # unassigned
    assert blank_unassigned("Oslo\ue000Bergen") == "Oslo Bergen"  # private use
    assert blank_unassigned("Zürich – 東京, café") == "Zürich – 東京, café"
    assert blank_unassigned("plain ascii") == "plain ascii"
    assert blank_unassigned("0\x7f0 a\x00b c\x85d") == "0 0 a b c d"  # DEL, NUL, a C1 control
    assert blank_unassigned("tab\there\r\nnext") == "tab\there\r\nnext"
