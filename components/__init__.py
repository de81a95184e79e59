"""Cluster Atlas components: data loading, charts, widgets and i18n."""
