"""The Padang - Hildesheim sister-city case: ``kerjasama demo`` records it, and letter previews render against it.

Kota Padang and Hildesheim (Germany) are a real sister-city pair; the dates are chosen so the DPRD receives the
plan on the Friday before Idul Fitri 2024, when six working days in a row are holidays or cuti bersama, and the
45-working-day window shows it.
"""
from __future__ import annotations

REGION = {"name": "Kota Padang", "level": "kota", "province": "Sumatera Barat"}
OPENED_ON = "2023-01-16"
OPENING = {"title": "Sister city Padang - Hildesheim", "partner_name": "Hildesheim", "country": "DE",
           "partner_type": "city", "fields": ["culture", "education"],
           "note": "Letter of interest from the Oberbürgermeister of Hildesheim"}

# What happened after opening: the event, the day, and what the officer recorded with it.
TIMELINE = (
    ("exploration_started", "2023-02-06", {}),
    ("consultation_sent", "2023-03-06", {"doc_number": "000.3/112/Kerja Sama"}),
    ("consultation_cleared", "2023-04-03", {"data": {"ministry": "kemendagri"}}),
    ("consultation_cleared", "2023-04-05", {"data": {"ministry": "kemlu"}}),
    ("loi_signed", "2023-06-12", {"note": "LoI signed in Hildesheim by both mayors"}),
    ("plan_started", "2023-07-03", {}),
    ("dprd_request_received", "2024-04-05",
     {"note": "Stamped by the DPRD secretariat on the Friday before Idul Fitri", "doc_number": "000.3/87/Kerja Sama"}),
    ("dprd_approved", "2024-06-13", {"doc_number": "Keputusan DPRD Nomor 12 Tahun 2024"}),
    ("plan_submitted_to_kemendagri", "2024-06-20", {"doc_number": "000.3/140/Kerja Sama"}),
    ("kemendagri_cleared_for_drafting", "2024-08-15", {"doc_number": "100.4.5/4521/SJ"}),
    ("draft_submitted_to_kemendagri", "2024-09-02", {"doc_number": "000.3/171/Kerja Sama"}),
    ("draft_approved", "2024-11-14", {"note": "Interministerial meeting initialled the draft"}),
    ("confirmation_received", "2025-03-10", {"doc_number": "B-00231/OT/03/2025/60"}),
    ("full_powers_requested", "2025-03-17", {"doc_number": "000.3/52/Kerja Sama"}),
    ("full_powers_issued", "2025-04-21", {"doc_number": "Surat Kuasa 077/2025"}),
    ("agreement_signed", "2025-05-08", {"data": {"term_years": 5}}),
    ("signing_report_sent", "2025-05-28", {}),
    ("activity_planned", "2025-06-16", {}),
    ("action_plan_adopted", "2025-07-14", {}),
    ("action_plan_budgeted", "2025-12-01", {"note": "Culture exchange and teacher visits in the APBD 2026"}),
)
