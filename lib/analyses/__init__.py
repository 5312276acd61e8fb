"""The analyses: pure functions from the store's tables (articles, sentences, the term matrix) to the tables and
figures the pages and the command line show."""
