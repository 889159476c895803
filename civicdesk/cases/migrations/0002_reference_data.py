"""Load the shipped claim categories, transferring agencies and stage time limits (data/reference.json)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def load(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ClaimCategory = apps.get_model("cases", "ClaimCategory")
    TransferringAgency = apps.get_model("cases", "TransferringAgency")
    StageTimeLimit = apps.get_model("cases", "StageTimeLimit")
    for position, item in enumerate(data["categories"], start=1):
        ClaimCategory.objects.update_or_create(
            code=item["code"],
            defaults={
                "case_code": item["case_code"],
                "name_zh": item["name_zh"],
                "name_en": item["name_en"],
                "special": item.get("special", False),
                "ordering": position,
            },
        )
    for item in data["agencies"]:
        TransferringAgency.objects.update_or_create(
            code=item["code"], defaults={"name_zh": item["name_zh"], "name_en": item["name_en"]}
        )
    for item in data["stage_time_limits"]:
        StageTimeLimit.objects.update_or_create(
            stage=item["stage"], defaults={"working_days": item["working_days"], "basis": item.get("basis", "")}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
