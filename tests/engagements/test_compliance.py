"""The compliance rules on their edge cases: the pure module every page, reminder and assessment uses."""

from __future__ import annotations

from datetime import date

from rencai.engagements.compliance import Obligations, Status, Term, VisitSpan, evaluate, required_year_days

RULES = Obligations(visits_per_month=1, days_per_visit=2, days_per_year=30)
YEAR_2026 = Term(date(2026, 1, 1), date(2026, 12, 31))


def visit(start: date, end: date, confirmed: bool = True) -> VisitSpan:
    return VisitSpan(start, end, confirmed)


def test_visit_spanning_two_months_counts_its_days_in_each_month():
    report = evaluate(YEAR_2026, RULES, [visit(date(2026, 1, 30), date(2026, 2, 2))], today=date(2026, 3, 1))
    jan, feb = report.months[0], report.months[1]
    assert (jan.days, feb.days) == (2, 2)
    assert (jan.visits, feb.visits) == (1, 1)
    assert jan.status == feb.status == Status.ON_TRACK
    assert report.days == 4 and report.visits == 1


def test_a_two_day_visit_split_across_months_still_is_a_qualifying_visit_in_both():
    report = evaluate(YEAR_2026, RULES, [visit(date(2026, 1, 31), date(2026, 2, 1))], today=date(2026, 3, 1))
    assert [m.days for m in report.months[:2]] == [1, 1]
    assert [m.status for m in report.months[:2]] == [Status.ON_TRACK, Status.ON_TRACK]


def test_a_one_day_visit_adds_days_but_does_not_meet_the_month():
    report = evaluate(YEAR_2026, RULES, [visit(date(2026, 1, 10), date(2026, 1, 10))], today=date(2026, 2, 1))
    assert report.months[0].days == 1
    assert report.months[0].status == Status.BEHIND


def test_disputed_or_pending_visit_does_not_count_until_confirmed():
    pending = [visit(date(2026, 1, 5), date(2026, 1, 8), confirmed=False)]
    report = evaluate(YEAR_2026, RULES, pending, today=date(2026, 2, 1))
    assert (report.days, report.pending_days) == (0, 4)
    assert report.months[0].status == Status.BEHIND
    confirmed = evaluate(YEAR_2026, RULES, [visit(date(2026, 1, 5), date(2026, 1, 8))], today=date(2026, 2, 1))
    assert (confirmed.days, confirmed.months[0].status) == (4, Status.ON_TRACK)


def test_term_starting_late_in_the_month_waives_that_month():
    term = Term(date(2026, 3, 20), date(2027, 3, 19))
    report = evaluate(term, RULES, [], today=date(2026, 4, 2))
    march = report.months[0]
    assert (march.first, march.last, march.required_visits) == (date(2026, 3, 20), date(2026, 3, 31), 0)
    assert march.status == Status.WAIVED
    assert report.months[1].status == Status.ON_TRACK  # April is open and has 29 days left


def test_term_starting_early_in_the_month_keeps_the_obligation():
    term = Term(date(2026, 3, 10), date(2027, 3, 9))
    report = evaluate(term, RULES, [], today=date(2026, 4, 2))
    assert report.months[0].required_visits == 1
    assert report.months[0].status == Status.BEHIND


def test_days_served_in_a_waived_month_still_count_for_the_year():
    term = Term(date(2026, 3, 20), date(2027, 3, 19))
    report = evaluate(term, RULES, [visit(date(2026, 3, 25), date(2026, 3, 27))], today=date(2026, 4, 2))
    assert report.days == 3 and report.months[0].status == Status.WAIVED


def test_open_month_without_a_visit_is_at_risk_in_its_last_week():
    assert evaluate(YEAR_2026, RULES, [], today=date(2026, 1, 25)).months[0].status == Status.AT_RISK
    assert evaluate(YEAR_2026, RULES, [], today=date(2026, 1, 24)).months[0].status == Status.ON_TRACK


def test_open_month_is_at_risk_when_the_days_left_cannot_fit_the_visits():
    rules = Obligations(visits_per_month=3, days_per_visit=5, days_per_year=30)
    report = evaluate(YEAR_2026, rules, [], today=date(2026, 1, 18))  # 14 days left, 15 needed
    assert report.months[0].status == Status.AT_RISK


def test_leap_year_term_is_one_year_and_february_has_29_days():
    term = Term(date(2028, 1, 1), date(2028, 12, 31))  # 366 days
    assert required_year_days(term, RULES) == 30
    report = evaluate(term, RULES, [visit(date(2028, 2, 28), date(2028, 3, 1))], today=date(2028, 3, 2))
    feb = report.months[1]
    assert feb.last == date(2028, 2, 29) and feb.days == 2
    assert report.months[2].days == 1


def test_term_shorter_than_a_year_owes_pro_rated_days():
    half = Term(date(2026, 1, 1), date(2026, 6, 30))  # 181 of 365 days
    assert required_year_days(half, RULES) == 15  # ceil(30 * 181 / 365) = ceil(14.88)


def test_agreement_ended_early_stops_counting_at_the_end_date():
    term = Term(date(2026, 1, 1), date(2026, 12, 31), ended_on=date(2026, 4, 10))
    visits = [visit(date(2026, 4, 8), date(2026, 4, 12)), visit(date(2026, 5, 5), date(2026, 5, 7))]
    report = evaluate(term, RULES, visits, today=date(2026, 6, 1))
    assert [m.month for m in report.months] == [1, 2, 3, 4]
    assert report.months[-1].last == date(2026, 4, 10) and report.months[-1].required_visits == 0
    assert report.days == 3  # 8–10 April only
    assert report.required_days == 9  # ceil(30 * 100 / 365)
    assert report.year_status == Status.BEHIND


def test_year_is_behind_when_the_days_left_cannot_reach_the_obligation():
    report = evaluate(YEAR_2026, RULES, [], today=date(2026, 12, 5))
    assert report.year_status == Status.BEHIND and report.status == Status.BEHIND


def test_year_below_pace_is_at_risk_and_on_pace_is_on_track():
    visits = [visit(date(2026, m, 3), date(2026, m, 4)) for m in range(1, 7)]  # 12 days by June
    report = evaluate(YEAR_2026, RULES, visits, today=date(2026, 7, 1))
    assert report.expected_days_by_now == 14  # 30 * 182 // 365
    assert report.year_status == Status.AT_RISK
    more = visits + [visit(date(2026, 6, 10), date(2026, 6, 12))]
    assert evaluate(YEAR_2026, RULES, more, today=date(2026, 7, 1)).year_status == Status.ON_TRACK


def test_future_months_are_upcoming_and_do_not_make_the_status_worse():
    report = evaluate(YEAR_2026, RULES, [visit(date(2026, 1, 2), date(2026, 1, 4))], today=date(2026, 1, 5))
    assert report.months[0].status == Status.ON_TRACK
    assert {m.status for m in report.months[1:]} == {Status.UPCOMING}
    assert report.status == Status.ON_TRACK
