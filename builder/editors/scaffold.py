"""`showcase init`: a new site with one example case, model site and page, ready to build."""
from __future__ import annotations

from pathlib import Path

from builder.errors import Problem

SITE_YAML = """\
# 网站设置。修改后重新运行 showcase build 即可生效。
title: 基层治理示范案例
subtitle: 党建引领基层治理示范点案例展示
base_url: /                 # 发布地址，例如 https://example.gov.cn/showcase/
language: zh-CN
categories: [农村, 社区, 机关, 企业]
actions:
  - name: 平安建设
    description: 排查化解矛盾纠纷，把风险隐患解决在基层。
nav:
  - {title: 首页, url: /}
  - {title: 案例, url: /cases/}
  - {title: 示范点, url: /sites/}
  - {title: 关于, url: /pages/about/}
footer:
  organiser: ""             # 主办单位
  icp: ""                   # ICP 备案号
review:
  words: wordlist.txt       # 审校词表：错别字和禁用词，showcase check 会检查
  stages: [初审, 复审, 终审]
publish:
  require_review: false     # 改为 true：只发布三审都已完成的案例
"""

SITE_MD = """\
---
title: 示例村
kind: 村
town: 示例镇
summary: 这是一个示例示范点。把这里换成真实的示范点简介。
---

在这里介绍示范点的基本情况。
"""

CASE_MD = """\
---
title: 示例案例：村级调解室化解邻里纠纷
site: example-village
date: 2025-01-01
category: 农村
actions: [平安建设]
tags: [调解]
photos: []
---

## 基本情况

用一两段话介绍背景。

## 主要做法

- 第一项做法
- 第二项做法

## 取得成效

写明取得的成效，数字要准确、有出处。

## 经验启示

总结可推广的经验。
"""

PAGE_MD = """\
---
title: 关于本站
---

本站展示党建引领基层治理示范点的典型案例。
"""


def init_site(target: Path) -> Problem | None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return Problem("", None, "init_not_empty", {"path": str(target)})
    files = {
        "site.yaml": SITE_YAML,
        "content/sites/example-village/index.md": SITE_MD,
        "content/cases/example-case/index.md": CASE_MD,
        "content/pages/about.md": PAGE_MD,
        "wordlist.txt": (Path(__file__).resolve().parent.parent / "checks" / "wordlist.txt").read_text(encoding="utf-8"),
    }
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return None
