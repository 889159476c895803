from django.db import migrations, models


class Migration(migrations.Migration):
    # Role choices are lazy (translated when shown); this records their English source labels.
    dependencies = [
        ("organization", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="roleassignment",
            name="role",
            field=models.CharField(
                choices=[
                    ("enforcement_officer", "Enforcement officer"),
                    ("subdivision_clerk", "Subdivision clerk"),
                    ("secretariat_officer", "Secretariat officer"),
                    ("ethics_officer", "Ethics officer"),
                    ("statistics_officer", "Statistics officer"),
                    ("personnel_officer", "Personnel officer"),
                    ("web_editor", "Website editor"),
                    ("unit_head", "Unit head"),
                    ("assessment_group_member", "Assessment-group member"),
                    ("headquarters_auditor", "Headquarters auditor"),
                    ("system_administrator", "System administrator"),
                ],
                max_length=40,
                verbose_name="role",
            ),
        ),
    ]
