"""Amounts of rupiah as officers write them: ``350000000``, ``350.000.000``, ``Rp 350.000.000,00``, ``350 juta``,
``1,5 miliar``.

In Indonesian ``.`` separates thousands and ``,`` marks decimals, so a dot is read only as a thousands separator:
``1.500 juta`` is one thousand five hundred million. A dot that cannot separate thousands (``1.5 miliar``, written
the English way) is refused rather than guessed, since ``1.500 miliar`` would mean something a thousand times
larger. Budgets have no sen: decimals are allowed only when they are zero (``,00``, ``,-``) or with a word of
magnitude (``1,5 miliar``), and then only when the result is whole rupiah.
"""
from __future__ import annotations

import re
from decimal import Decimal

from workflow.i18n import _

MAGNITUDES = {"ribu": 10 ** 3, "rb": 10 ** 3, "juta": 10 ** 6, "jt": 10 ** 6, "miliar": 10 ** 9, "milyar": 10 ** 9,
              "triliun": 10 ** 12}
AMOUNT = re.compile(r"^(?:rp\.?)?\s*(?P<number>[\d.,]+?)\s*(?:,-)?\s*(?P<magnitude>[^\W\d_]+)?\s*(?:rupiah)?$")
WHOLE = re.compile(r"^(?:\d+|\d{1,3}(?:\.\d{3})+)$")


def parse_rupiah(text: str) -> int:
    """The amount ``text`` writes, in whole rupiah (never negative).

    :raises ValueError: with the reason, for anything that is not an amount of whole rupiah.
    """
    whole, comma, decimals, magnitude = _written(text, _("write it in figures, optionally with Rp before and ribu, "
                                                         "juta, miliar or triliun after"))
    if not WHOLE.match(whole) or comma and not decimals.isdigit() or len(decimals) > 2 and not magnitude:
        raise ValueError(_("in rupiah \".\" separates thousands and \",\" marks decimals, as in 350.000.000 and "
                           "1,5 miliar"))
    value = Decimal(f"{whole.replace('.', '')}.{decimals or 0}") * MAGNITUDES.get(magnitude, 1)
    if value != value.to_integral_value() or decimals.strip("0") and not magnitude:
        raise ValueError(_("budgets are in whole rupiah, without sen"))
    return int(value)


def parse_figure(text: str) -> str:
    """A figure as officers write it (``1.500``, ``12,5``, ``3,2 miliar``, ``Rp 350.000.000``) as a decimal in
    figures with a point (``1500``, ``12.5``, ``3200000000``), its decimals kept as written: ``12,50`` is ``12.50``.

    Read the Indonesian way, as :func:`parse_rupiah` reads amounts: ``.`` separates thousands and ``,`` marks
    decimals; a dot that cannot separate thousands is refused rather than guessed.

    :raises ValueError: with the reason, for anything that is not a figure of zero or more.
    """
    whole, comma, decimals, magnitude = _written(text, _("write it in figures, optionally with ribu, juta, miliar or "
                                                         "triliun after"))
    if not WHOLE.match(whole) or comma and not decimals.isdigit():
        raise ValueError(_("\".\" separates thousands and \",\" marks decimals, as in 1.500 and 12,5"))
    value = Decimal(f"{whole.replace('.', '')}{'.' + decimals if comma else ''}")
    if magnitude:  # 3,2 miliar is 3200000000: the decimals belonged to the word
        value = (value * MAGNITUDES[magnitude]).normalize()
    return f"{value:f}"


def _written(text: str, how: str) -> tuple[str, str, str, str | None]:
    """An amount as written, split: the part before the comma, the comma, the decimals and the word of magnitude.

    :raises ValueError: ``how`` to write it, for text that is not figures with an optional Rp and word; or the word
        of magnitude is not one.
    """
    found = AMOUNT.match(" ".join((text or "").split()).lower())
    if not found:
        raise ValueError(how)
    magnitude = found["magnitude"]
    if magnitude and magnitude not in MAGNITUDES:
        raise ValueError(_("{word} is not ribu, juta, miliar or triliun").format(word=magnitude))
    return (*found["number"].partition(","), magnitude)
