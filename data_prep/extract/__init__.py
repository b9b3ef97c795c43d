"""Extract: countries, figures, dates, partnerships, organisations and sectors, each a pure function of the text."""
