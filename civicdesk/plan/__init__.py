"""The annual service-quality plan: measures, targets, activities, metrics, self-assessment, reports."""
