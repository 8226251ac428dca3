"""Write docs/samples/府西夜话-案例材料.docx: the Word document the guide imports in its chapter on
`showcase import`, written the way a community writes up its practice (a title, 一、/（一）
headings, bold, a list, a table, two photos with captions under them, a text box, a footnote).

Every fact in it comes from the public newspaper report the sample site is built from
(/work/shared/seed/hejin-showcase-article.txt: 府西社区 and its “府西夜话”), in our own words; the
photos are the sample site's generated placeholder pictures, captioned as such.

Run from the repository root (python-docx comes with the test dependencies):
    python docs/samples/make_sample_docx.py
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from word_files import WordFile  # noqa: E402  (the tests' writer of real .docx files)

SAMPLE = Path(__file__).resolve().parent / "府西夜话-案例材料.docx"
PHOTOS = REPO / "content" / "cases" / "fuxi-yehua"


def sample() -> bytes:
    w = WordFile()
    w.title("府西社区：“夜话访谈议事”把群众的事办在身边")
    w.para("来源：据《河津：奋力争当创建新时代党建引领基层治理示范区排头兵》整理")
    w.text_box("本材料据公开报道整理，图片为示例图片。")
    w.para("一、基本情况")
    w.para("府西社区隶属河津市城区街道。社区党总支不定期开展“府西夜话”主题活动，把听取意见、商量事情的场合放到居民身边。",
           indent=True)
    w.empty()
    w.para("二、主要做法")
    w.para("（一）走进居民点")
    w.para(("b", "面对面了解社情民意。"), "活动深入各个小区的居民点，社区干部同居民当面交流。", indent=True)
    w.picture((PHOTOS / "photo-1.jpg").read_bytes(), width_cm=14)
    w.para("图为“府西夜话”主题活动现场（示例图片）。", centred=True)
    w.para("（二）现场解决问题")
    w.para("居民提出的问题，在活动现场研究解决。", indent=True)
    w.para("（三）围坐商议身边事")
    w.para("一天晚饭后，居民老杨约上好友老张，赶到社区党群服务中心参加“府西夜话”。社区干部、党员与居民围坐一堂，",
           ("br", ""), "一起讨论老旧小区改造方案。", indent=True)
    w.picture((PHOTOS / "photo-2.jpg").read_bytes(), width_cm=14)
    w.para("图为社区干部、党员与居民围坐商议（示例图片）。", centred=True)
    w.para("三、取得成效")
    w.bullets("“府西夜话”主题活动受到群众点赞欢迎。", "相关工作机制作为社区领域的经验在全市推广。")
    w.table([["项目", "内容"], ["活动名称", "“府西夜话”主题活动"], ["组织者", "府西社区党总支"],
             ["推广范围", "全市社区领域"]])
    w.footnote("河津市在社区领域推广府西社区“夜话访谈议事”工作机制", "据报道，河津市还在农村领域推广西翟村“基层智理”议事平台。",
               after="。")
    return w.data()


if __name__ == "__main__":
    SAMPLE.write_bytes(sample())
    print(f"wrote {SAMPLE.relative_to(REPO)} ({SAMPLE.stat().st_size // 1024} KB)")
