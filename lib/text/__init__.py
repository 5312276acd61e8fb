"""Text: sentences and paragraphs with offsets, the tokeniser and the term matrix every analysis counts with."""
