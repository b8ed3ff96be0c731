"""Extract, per article: spaCy's parse (long bodies in pieces), entity mentions and within-article entities,
quotes and their speakers, roles, event mentions with their modality and the date expression each owns."""
