"""A paragraph break starts a sentence, even after a lede without a final period."""

from transforms.extract.sentences import COMPONENT, add_paragraph_sentences

LEDE = ("Ferry crews in Port Alder ended their strike, the union said on Thursday\n\n"
        "The operator said timetables would return to normal within a week.")


def test_a_lede_without_a_period_does_not_run_into_the_next_paragraph(nlp):
    with nlp.select_pipes(disable=[COMPONENT]):
        assert len(list(nlp(LEDE).sents)) == 1  # what the parser alone makes of it
    sentences = [s.text.strip() for s in nlp(LEDE).sents]
    assert sentences == ["Ferry crews in Port Alder ended their strike, the union said on Thursday",
                         "The operator said timetables would return to normal within a week."]


def test_one_line_break_is_not_a_paragraph(nlp):
    text = "Ferry crews in Port Alder ended their\nstrike on Thursday, the union said."
    assert len(list(nlp(text).sents)) == 1


def test_the_component_is_installed_once_before_the_parser(nlp):
    names = add_paragraph_sentences(nlp).pipe_names
    assert names.count(COMPONENT) == 1
    assert names.index(COMPONENT) < names.index("parser")
