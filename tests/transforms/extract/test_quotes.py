"""Quote spans and speaker attribution, one test per attribution pattern (invented sentences)."""

import pytest

from tests.helpers.parsing import parse_body
from transforms.extract.mentions import cluster_mentions, doc_mentions
from transforms.extract.quotes import MAX_QUOTE_CHARS, extract_quotes, find_quote_spans


@pytest.fixture()
def quotes_of(nlp):
    def run(text: str):
        doc, mentions, _ = parse_body(nlp, text)
        found = extract_quotes(doc, mentions)
        for quote in found:
            assert text[quote.start:quote.end] == quote.text
        return found
    return run


def test_spans_curly_and_straight_and_unclosed():
    text = 'He said “one” and "two".\n“Three continues to the end of the paragraph\nNext.'
    spans = [text[s.start:s.end] for s in find_quote_spans(text)]
    assert spans == ["one", "two", "Three continues to the end of the paragraph"]


def test_the_length_cap_applies_to_unclosed_quotes_too():
    # A closed quote, then an opening mark never closed before a paragraph of 6,000 characters.
    body = "The board then went through the accounts line by line, and the auditors answered every question. " * 60
    text = f"“We will publish the figures,” the treasurer said. Asked about the delay, she replied “{body}\nNext."
    spans = find_quote_spans(text)
    assert [text[s.start:s.end] for s in spans] == ["We will publish the figures,"]
    assert all(s.end - s.start <= MAX_QUOTE_CHARS for s in spans)
    # a stray mark does not hide a quotation after it in the same paragraph
    text = f"The sign read “{body} «Closed until spring», the notice said."
    assert [text[s.start:s.end] for s in find_quote_spans(text)] == ["Closed until spring"]
    text = '"The first time she saw him, she called it a “turning point,” she wrote.\n"It was not.'
    assert [text[s.start:s.end] for s in find_quote_spans(text)] == ["turning point,"]


def test_explicit_name_after_quote(quotes_of):
    [quote] = quotes_of("“We will rebuild the bridge by summer,” Mayor Elena Marsh said on Monday.")
    assert quote.speaker_name == "Elena Marsh" and quote.method == "explicit"
    assert quote.attribution_verb == "say" and not quote.is_partial
    assert quote.text == "We will rebuild the bridge by summer,"


def test_inverted_said_with_anonymous_source(quotes_of):
    [quote] = quotes_of("“The deal is almost done,” said a diplomat familiar with the negotiations.")
    assert quote.method == "anonymous" and quote.speaker_local_key is None
    assert quote.speaker_name == "a diplomat familiar with the negotiations"


def test_pronoun_resolves_to_last_person(quotes_of):
    text = ("Finance Minister Paolo Ricci presented the budget to parliament on Tuesday. "
            "“This is a budget for growth,” he said.")
    [quote] = quotes_of(text)
    assert quote.method == "pronoun" and quote.speaker_name == "Paolo Ricci"


def test_continuation_quote_takes_previous_speaker(quotes_of):
    text = "“Prices will fall,” Governor Ana Lind said. “Not this month, but soon.”"
    first, second = quotes_of(text)
    assert second.speaker_name == first.speaker_name == "Ana Lind"
    assert second.method == "context"


def test_partial_quote_inside_reported_speech(quotes_of):
    [quote] = quotes_of("President Omar Haddad said the country wants “peace with its neighbours” above all.")
    assert quote.is_partial and quote.speaker_name == "Omar Haddad"


def test_role_description_as_speaker(quotes_of):
    [quote] = quotes_of("“The border stays open,” Ruritania's interior minister told reporters.")
    assert quote.method == "role" and "interior minister" in quote.speaker_name


def test_speech_noun_with_from(quotes_of):
    [quote] = quotes_of("The statement included a warning from Karl Brandt of “serious consequences” for the firm.")
    assert quote.speaker_name == "Karl Brandt" and quote.attribution_verb == "warning"


def test_according_to(quotes_of):
    [quote] = quotes_of("According to police chief Maria Lopez, the suspect was “calm and polite” when arrested.")
    assert quote.speaker_name == "Maria Lopez"


def test_scare_quote_with_no_speaker(quotes_of):
    [quote] = quotes_of("The so-called “smart” meters were installed in 2019.")
    assert quote.method == "none" and quote.speaker_name is None and quote.is_partial


def test_multi_sentence_quote_split_by_attribution(quotes_of):
    text = ("“We will not sign. The terms are unfair,” said Karl Brandt, “and our members agree.”")
    first, second = quotes_of(text)
    assert first.text == "We will not sign. The terms are unfair,"
    assert first.speaker_name == "Karl Brandt" and second.speaker_name == "Karl Brandt"


def test_she_resolves_to_the_woman_named_before(quotes_of):
    text = "Maria Lopez visited the site on Tuesday. “Nobody was hurt,” she said."
    [quote] = quotes_of(text)
    assert quote.method == "pronoun" and quote.speaker_name == "Maria Lopez"


def test_straight_quotes(quotes_of):
    [quote] = quotes_of('"The bridge will reopen in May," the mayor Ana Lind said.')
    assert quote.text == "The bridge will reopen in May," and quote.speaker_name == "Ana Lind"


def test_scare_quote_says_why_it_has_no_speaker(quotes_of):
    [quote] = quotes_of("The so-called “smart” meters were installed in 2019.")
    assert quote.speaker_status == "scare_quote"


def test_misparsed_name_before_said_is_still_the_speaker(quotes_of):
    [quote] = quotes_of("“We will finish the pier by June,” Harbor police Chief Lena Voss said Monday.")
    assert quote.speaker_name == "Lena Voss" and quote.speaker_status == "attributed"


def test_dash_signature_names_the_speaker(quotes_of):
    first, second = quotes_of("“The rent doubled in a year.” ― Maria Okafor\n“Nobody listens to us.” ― Tomas Berg")
    assert (first.speaker_name, second.speaker_name) == ("Maria Okafor", "Tomas Berg")


def test_attribution_line_above_the_quote(quotes_of):
    [quote] = quotes_of("Okafor, a nurse, spoke first. Then Dana Whit continued:\n\n“We had no choice at all.”")
    assert quote.speaker_name == "Dana Whit" and quote.attribution_verb == "continue"


def test_inverted_colon_attribution(quotes_of):
    [quote] = quotes_of("Few expect a quick deal. Said Tomas Berg: “I would not bet on it.”")
    assert quote.speaker_name == "Tomas Berg"


def test_quote_after_a_reported_sentence_continues_its_speaker(quotes_of):
    [quote] = quotes_of("The vote may slip to March, Dana Whit said. “We are simply not ready.”")
    assert quote.speaker_name == "Dana Whit" and quote.method == "context"


def test_next_sentence_subject_is_not_the_speaker_of_a_closed_quote(quotes_of):
    [quote] = quotes_of("Lena Voss called the plan “reckless.” Tomas Berg insisted that the plan was sound.")
    assert quote.speaker_name == "Lena Voss"


def test_characterising_verb_in_passive_names_no_speaker(quotes_of):
    [quote] = quotes_of("Described as a “model citizen,” Tomas Berg was arrested on Friday.")
    assert quote.speaker_name is None and quote.speaker_status == "scare_quote"


def test_fragment_called_something_as_belongs_to_the_subject(quotes_of):
    [quote] = quotes_of("Senator Dana Whit has gone after the mayor as a “serial bungler.”")
    assert quote.speaker_name == "Dana Whit"


def test_possessor_is_not_the_speaker(quotes_of):
    [quote] = quotes_of("“We lost fair and square,” Lena Voss's campaign manager said.")
    assert quote.speaker_name == "Lena Voss's campaign manager" and quote.speaker_local_key is None


def test_person_named_in_a_phrase_with_an_organisation(quotes_of):
    [quote] = quotes_of("“Growth will slow next year,” IMF chief economist Dana Whit said.")
    assert quote.speaker_name == "Dana Whit"


def test_participle_takes_the_subject_of_its_clause(quotes_of):
    [quote] = quotes_of("Tomas Berg appeared on radio and began by saying he would “never” resign.")
    assert quote.speaker_name == "Tomas Berg"


def test_an_inanimate_subject_leaves_the_quote_to_the_person_reporting_it(quotes_of):
    [quote] = quotes_of("Mayor Dana Whit said the report “clearly suggests” that the port was mismanaged.")
    assert quote.speaker_name == "Dana Whit"


def test_speech_noun_before_a_colon(quotes_of):
    [quote] = quotes_of("Tomas Berg is rolling out a blunt new campaign message: “This is about you.”")
    assert quote.speaker_name == "Tomas Berg"


def test_fragment_belongs_to_its_own_clause_not_to_the_attribution_after_it(quotes_of):
    [quote] = quotes_of("As Tomas Berg warned of “a lost decade,” Dana Whit said nothing.")
    assert quote.speaker_name == "Tomas Berg"


def test_definite_description_speaks_for_the_organisation_named_before(nlp):
    from transforms.extract.mentions import described_organisations

    text = ("The Ruritanian Ministry of Energy announced new tariffs on Monday. "
            "“Prices will rise by ten percent,” the ministry said.")
    doc = nlp(text)
    mentions = doc_mentions(doc, "body")
    mentions, entities = cluster_mentions(mentions)
    mentions += described_organisations(text, mentions, entities)
    [quote] = extract_quotes(doc, mentions)
    ministry = next(m for m in mentions if "Ministry of Energy" in m.surface)
    assert quote.method == "description" and quote.speaker_local_key == ministry.local_key


def test_spans_in_every_convention():
    text = ("`` We will appeal, '' the lawyer said.\n"
            "She called it ‘a farce’ and left; the clerk didn’t answer.\n"
            "Le maire a dit «non merci» hier. Er sagte „nein danke“ dann.\n"
            "Rock ‘n’ roll came back in the ‘90s.")
    spans = [text[s.start:s.end] for s in find_quote_spans(text)]
    assert spans == ["We will appeal,", "a farce", "non merci", "nein danke"]


def test_a_quote_wrapped_over_lines_is_one_quote():
    text = "“We will not sign this treaty\nuntil the border is settled,” the envoy said.\nNext line."
    [span] = find_quote_spans(text)
    assert text[span.start:span.end] == "We will not sign this treaty\nuntil the border is settled,"
    # a line opening a new quotation or a blank line ends an unclosed one at its own line
    text = "“First part of a long statement\n“Second paragraph of it.”\n\n“Third\n\nFourth.”"
    assert [text[s.start:s.end] for s in find_quote_spans(text)] == [
        "First part of a long statement", "Second paragraph of it.", "Third"]


def test_backtick_quote_gets_its_speaker(quotes_of):
    [quote] = quotes_of("`` The harvest was the worst in years, '' farmer Jonas Petrauskas said on Friday.")
    assert quote.text == "The harvest was the worst in years," and quote.speaker_name == "Jonas Petrauskas"


def test_an_apposed_name_wins_over_the_role(quotes_of):
    [quote] = quotes_of("The deputy governor, Mira Okafor, said: “Rates will stay where they are.”")
    assert quote.speaker_name == "Mira Okafor" and quote.method == "explicit"


def test_a_follow_on_quote_paragraph_keeps_its_speaker(quotes_of):
    text = ("“The dam will hold,” engineer Tomas Lindqvist said on Monday.\n\n"
            "“We checked every joint twice and found nothing.”\n\n"
            "The river rose again overnight.\n\n“Nobody knows what comes next.”")
    first, second, third = quotes_of(text)
    assert second.speaker_name == first.speaker_name == "Tomas Lindqvist" and second.method == "context"
    assert third.speaker_name is None  # narration in between: not a follow-on


def test_a_quotation_inside_a_quotation_of_the_same_marks():
    text = "“I would rather live in what she calls “chaos” than in her order.” ― Lena Horvath\n“Odd” and “even”."
    assert [text[s.start:s.end] for s in find_quote_spans(text)] == [
        "I would rather live in what she calls “chaos” than in her order.", "Odd", "even"]


def test_a_transcript_label_names_the_speaker(quotes_of):
    text = ("Host Dana Whitfield interviewed Senator Olaf Brandvold on Sunday.\n"
            "\"BRANDVOLD: Well, look, my rival thinks this is “a game show.” It is not.\n"
            "\"UPDATE: The interview aired in “prime time” on Sunday.")
    first, second = quotes_of(text)
    assert first.speaker_name == "Olaf Brandvold" and first.method == "explicit"
    assert second.speaker_name is None


def test_a_participle_of_saying_that_modifies_a_name_has_that_name_for_speaker(quotes_of):
    text = "The new spot shows footage of Mayor Elena Marsh asking, “Who pays for the bridge, then?”"
    [quote] = quotes_of(text)
    assert quote.speaker_name == "Elena Marsh"
