"""Synthetic intake files (`manage.py generate_cases`): realistic rows with known anomalies of each kind.

Register-level anomalies are written as migrated legacy rows (docs/intake-format.md, "legacy columns"): a
case not assigned, assigned without a receipt, assigned twice, assigned a day late (day totals differ), a
duplicated case number, a stage past its limit. A broken hash chain cannot come from a file — the importer
writes intact chains — so tests and demos edit a register entry in the database for that kind.
"""

from __future__ import annotations

import csv
import datetime
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from civicdesk.cases.intake import ALL_COLUMNS
from civicdesk.core.case_numbers import format_case_number
from civicdesk.core.identifiers import make_business_number, make_national_id
from civicdesk.core.roc_dates import to_roc_year

FILE_ANOMALY_KINDS = (
    "not_assigned",
    "assigned_without_receipt",
    "assigned_twice",
    "day_totals",
    "duplicate_case_number",
    "past_time_limit",
)
BAD_ROW_KINDS = ("lower_case_id", "wrong_check_digit", "unknown_agency", "missing_principal", "future_date")

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴"
GIVEN = "志明怡君家豪淑芬俊傑雅婷建宏美玲宗翰佩珊冠宇欣怡承恩詩涵柏翰宜蓁育誠心怡文彬惠雯"
COMPANY_WORDS = ("中興", "大雅", "豐原", "台中港", "文心", "惠來", "霧峰", "太平", "大里", "烏日", "清水", "沙鹿")
COMPANY_KINDS = ("實業", "企業", "商行", "科技", "工程", "建設", "貿易")
AGENCY_CATEGORIES = {
    "NHIA": ("health_premium",),
    "BLI": ("labour_premium",),
    "NTBC": ("income_tax", "business_tax"),
    "TCTAX": ("vehicle_tax", "land_value_tax", "house_tax"),
    "TCTRAFFIC": ("traffic_fine",),
    "TCUD": ("building_fine",),
    "THBTC": ("fee",),
}
AGENCY_WEIGHTS = (30, 25, 15, 15, 8, 2, 5)


@dataclass
class GenerateSummary:
    rows: int = 0
    anomalies: dict[str, int] = field(default_factory=dict)
    bad_rows: int = 0
    manifest: Path | None = None


class _Maker:
    def __init__(self, rng: random.Random, today: datetime.date, case_codes: dict[str, str]) -> None:
        self.rng = rng
        self.today = today
        self.case_codes = case_codes
        self.serial = 0
        self.obligors: list[tuple[str, str]] = []

    def obligor(self) -> tuple[str, str]:
        rng = self.rng
        if self.obligors and rng.random() < 0.1:
            return rng.choice(self.obligors)
        if rng.random() < 0.75:
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
            pair = (make_national_id(rng), name)
        else:
            name = f"{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}股份有限公司"
            pair = (make_business_number(rng), name)
        if len(self.obligors) < 50_000:
            self.obligors.append(pair)
        else:
            self.obligors[rng.randrange(50_000)] = pair
        return pair

    def row(self) -> dict[str, Any]:
        rng = self.rng
        agency = rng.choices(list(AGENCY_CATEGORIES), weights=AGENCY_WEIGHTS)[0]
        category = rng.choice(AGENCY_CATEGORIES[agency])
        self.serial += 1
        obligor_id, name = self.obligor()
        principal = int(min(5_000_000, max(300, rng.lognormvariate(9, 1.4))))
        return {
            "agency": agency,
            "agency_reference": f"{agency}-{self.today.year}-{self.serial:09d}",
            "category": category,
            "obligor_id": obligor_id,
            "obligor_name": name,
            "principal": str(principal),
            "fee": str(rng.choice((0, 0, 0, 100, 200, 300))),
            "paid": "0",
            "transferred_on": (self.today - datetime.timedelta(days=rng.randint(1, 30))).isoformat(),
        }

    def legacy(self, received: datetime.date, **values: str) -> dict[str, Any]:
        row = self.row()
        row["transferred_on"] = (received - datetime.timedelta(days=3)).isoformat()
        row["legacy_received_on"] = received.isoformat()
        row.update(values)
        return row


def _anomaly_rows(maker: _Maker, kind: str, index: int, subdivisions: list[str]) -> list[dict[str, Any]]:
    today, rng = maker.today, maker.rng
    day = datetime.timedelta(days=1)
    if kind == "not_assigned":
        return [maker.legacy(today - 30 * day, legacy_assigned_on="-")]
    if kind == "assigned_without_receipt":
        return [maker.legacy(today - 7 * day, legacy_receipt_missing="yes")]
    if kind == "assigned_twice":
        first, second = rng.sample(subdivisions, 2)
        return [maker.legacy(today - 7 * day, legacy_subdivisions=f"{first}|{second}")]
    if kind == "day_totals":
        received = today - (40 + 3 * index) * day
        return [
            maker.legacy(
                received,
                legacy_assigned_on=(received + day).isoformat(),
                legacy_stage="in_enforcement",
                legacy_stage_since=(received + 2 * day).isoformat(),
            )
        ]
    if kind == "duplicate_case_number":
        received = datetime.date(today.year - 3, 3, 1) + index * day
        pair = [
            maker.legacy(received, legacy_stage="instalments", legacy_stage_since=(today - 5 * day).isoformat())
            for _ in range(2)
        ]
        code = maker.case_codes[pair[0]["category"]]
        number = format_case_number(to_roc_year(received.year), code, 90_000_000 + index)
        for row in pair:
            row["legacy_case_number"] = number
        return pair
    if kind == "past_time_limit":
        received = today - 500 * day
        return [maker.legacy(received, legacy_stage="in_enforcement", legacy_stage_since=(received + day).isoformat())]
    raise ValueError(f"unknown anomaly kind {kind!r}")


def _bad_row(maker: _Maker, kind: str) -> dict[str, Any]:
    row = maker.row()
    if kind == "lower_case_id":
        row["obligor_id"] = make_national_id(maker.rng).lower()
    elif kind == "wrong_check_digit":
        good = make_national_id(maker.rng)
        row["obligor_id"] = good[:-1] + str((int(good[-1]) + 1) % 10)
    elif kind == "unknown_agency":
        row["agency"] = "NOSUCH"
    elif kind == "missing_principal":
        row["principal"] = ""
    else:
        row["transferred_on"] = (maker.today + datetime.timedelta(days=30)).isoformat()
    return row


def _rows(
    *,
    count: int,
    anomalies: int,
    bad_rows: int,
    seed: int,
    today: datetime.date,
    subdivisions: list[str],
    case_codes: dict[str, str],
    summary: GenerateSummary,
    manifest: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 -- reproducible synthetic data, not secrets
    maker = _Maker(rng, today, case_codes)
    specials: list[tuple[str, str, int]] = [("anomaly", k, i) for k in FILE_ANOMALY_KINDS for i in range(anomalies)]
    specials += [("bad", BAD_ROW_KINDS[i % len(BAD_ROW_KINDS)], i) for i in range(bad_rows)]
    # A duplicated case number takes two rows.
    plain = max(0, count - len(specials) - anomalies)
    total = plain + len(specials)
    positions = dict(
        zip(sorted(rng.sample(range(total), len(specials))), rng.sample(specials, len(specials)), strict=True)
    )
    for position in range(total):
        special = positions.get(position)
        if special is None:
            yield maker.row()
            continue
        group, kind, index = special
        if group == "bad":
            row = _bad_row(maker, kind)
            manifest["bad_rows"].append({"kind": kind, "agency_reference": row["agency_reference"]})
            summary.bad_rows += 1
            yield row
            continue
        made = _anomaly_rows(maker, kind, index, subdivisions)
        manifest["anomalies"].setdefault(kind, []).append([r["agency_reference"] for r in made])
        summary.anomalies[kind] = summary.anomalies.get(kind, 0) + 1
        yield from made


def generate_intake_file(
    *,
    path: Path,
    count: int,
    anomalies: int,
    seed: int,
    today: datetime.date,
    subdivisions: list[str],
    case_codes: dict[str, str],
    bad_rows: int = 0,
) -> GenerateSummary:
    """Write ``count`` rows (CSV or JSON Lines by the file's suffix) and a manifest of the injected anomalies."""
    if anomalies and len(subdivisions) < 2:
        raise ValueError("the branch needs at least two subdivisions to inject double assignments")
    summary = GenerateSummary()
    manifest: dict[str, Any] = {
        "seed": seed,
        "count": count,
        "generated_on": today.isoformat(),
        "anomalies": {},
        "bad_rows": [],
    }
    rows = _rows(
        count=count,
        anomalies=anomalies,
        bad_rows=bad_rows,
        seed=seed,
        today=today,
        subdivisions=subdivisions,
        case_codes=case_codes,
        summary=summary,
        manifest=manifest,
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        summary.rows = _write(handle, rows, jsonl=path.suffix.lower() in {".jsonl", ".ndjson"})
    summary.manifest = path.with_name(path.name + ".manifest.json")
    summary.manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return summary


def _write(handle: TextIO, rows: Iterator[dict[str, Any]], *, jsonl: bool) -> int:
    written = 0
    if jsonl:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += 1
        return written
    writer = csv.DictWriter(handle, fieldnames=list(ALL_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        written += 1
    return written
