"""Custom data for tests: the shipped clusters and a few more, added through the upload path."""

from __future__ import annotations

import pandas as pd

from components.data import Bundle
from components.upload import CustomData, merge, read_upload, validate_clusters


def more_european_consumer(base: Bundle, n: int = 4) -> CustomData:
    """The shipped clusters and ``n`` more European consumer-goods ones (German), as the data
    page adds them: with 4, Europe names 59 of figure 2-1's 55, consumer goods 19 of 17."""
    template = base.clusters[base.clusters["country"] == "DEU"].iloc[0].to_dict()
    rows = []
    for i in range(n):
        row = {c: ("" if pd.isna(v) else v) for c, v in template.items()}
        row.update(
            cluster_id=f"extra-{i}",
            annex_no="",
            name_zh=f"测试集群{i}",
            name_en=f"Test cluster {i}",
            continent="EU",
            sector="consumer",
            source_ref="table 2-10",
            derived_fields="",
        )
        rows.append(row)
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    report = validate_clusters(read_upload(data, "extra.csv"), base, "add", "extra.csv")
    custom = merge(report, base, "add")
    assert custom is not None and custom.uploaded == n
    return custom
