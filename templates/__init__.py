"""Built-in Jinja templates of letters and proposals (templates/letters/), found relative to this file."""
