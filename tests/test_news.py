"""Rule 0's test: a passage other articles carry is news when it quotes, is prose several outlets carry, or
reads as the article's story; page furniture is none of these."""

from __future__ import annotations

from lib.cleaning.blocks import blocks
from lib.cleaning.news import news, reads_as_story, story_words

ARTICLE = ("Dock workers at three container ports walked off the job on Monday after pay talks broke down.\n\n"
           "The union said its members would stay out until the operators improved their offer on automation.\n\n"
           "Shipping lines warned that vessels were already queueing offshore and deliveries would slow.\n")
STORY = story_words(blocks(ARTICLE))


def test_a_wire_headline_reads_as_the_story_and_page_furniture_does_not():
    assert reads_as_story("Dock workers strike at container ports over automation", STORY, inside_prose=False)
    for furniture in ["Advertisement", "Share this article", "3 hours ago", "Sign up for our morning newsletter",
                      "Purchase: Order Reprint", "Take Action Now and get three actions every week"]:
        assert not reads_as_story(furniture, STORY, inside_prose=False), furniture


def test_generic_words_and_the_passage_itself_do_not_make_it_the_story():
    # "week", "said", "first" say nothing of a story; a passage's own words are discounted inside the prose
    assert not reads_as_story("Said first week", STORY, inside_prose=False)
    lone = "Economists expect tariffs, inflation and recession warnings from central bankers."
    assert not reads_as_story(lone, story_words(blocks(ARTICLE + lone)), inside_prose=True)


def test_prose_several_outlets_carry_is_news_and_a_quote_is_news_anywhere():
    wire = "Port operators offered a raise of twelve percent over three years, which the union rejected."
    notice = "By signing up you agree to receive email newsletters or alerts from the Valley Times."
    assert news(wire, STORY, inside_prose=True, several=True)
    assert news(notice, STORY, inside_prose=True, several=True)  # several outlets carry it: it is what they share
    assert not news(notice, STORY, inside_prose=True, several=False)  # outlets unknown, and not the story's words
    assert news("“We will not go back,” a docker said.", STORY, inside_prose=True, several=False)


def test_a_word_is_generic_exactly_where_wordfreq_rates_it_as_common():
    # ``_stem`` reads a word in ASCII from the head of wordfreq's list; wordfreq's own lookup is the reference
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    from wordfreq import top_n_list, zipf_frequency

    from lib.cleaning.news import GENERIC, _stem

    words = [w for w in top_n_list("en", 3000) if w.isalpha()] + ["zyxwv", "ﬁrst", "ﬂoods", "Ärger"]
    for w in words:
        generic = w in ENGLISH_STOP_WORDS or zipf_frequency(w, "en") >= GENERIC
        assert (_stem(w) == "") == generic, w
    assert _stem("ﬁrst") == "" and _stem("ports") == "port" and _stem("criticized") == "criti"
