"""Clipboard HTML as Word puts it there (classes, fonts, colours, empty paragraphs, a table, a
link, hostile bits a web page could add, a picture embedded as a data: URL and one only pointed
at in Word's temporary folder), for the desk's paste tests."""
from __future__ import annotations

import base64

from photos import png_bytes

PNG = base64.b64encode(png_bytes("RGB", (300, 200))).decode()
WORD_HTML = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=ZH-CN><!--StartFragment-->
<p class=MsoNormal style='text-indent:2em'><b><span style='font-family:黑体;color:#C00000'>一、基本情况</span></b></p>
<p class=MsoNormal><span style='font-family:仿宋'>村里搭建了<b>议事平台</b>。</span><o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<table class=MsoTableGrid border=1><tr><td><p>年份</p></td><td><p>纠纷</p></td></tr><tr><td><p>2024</p></td><td><p>12</p></td></tr></table>
<p class=MsoNormal><a href="https://www.gov.cn/">中国政府网</a><a href="javascript:alert(1)">点我</a></p>
<script>alert(1)</script><p onclick="alert(2)">结束。</p>
<img src="data:image/png;base64,{PNG}" alt="议事会现场">
<img src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg">
<!--EndFragment--></body></html>"""
