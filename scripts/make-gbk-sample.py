#!/usr/bin/env python3
"""Writes samples/gbk-encoded.txt: a well-formed bulletin saved the way Windows tools
(Notepad "ANSI", WPS, older OA systems) save Chinese text: GB18030/GBK bytes, CRLF line ends.

The text is kept to characters GBK can encode, so the bytes are the same in GBK and GB18030.
Run from the repository root:  python3 scripts/make-gbk-sample.py
"""
import pathlib

TEXT = """\
内部资料
四川省地方志工作简报
2021年第14期（总第134期）
四川省地方志工作办公室编          2021年8月6日

【工作动态】
省地方志办开展年鉴编校质量抽查
7月26日至30日，省地方志办组织对2020卷市（州）综合年鉴开展编校质量抽查。抽查采取随机抽取页码、专家逐字审读的方式进行，共抽查年鉴21部，抽查文字约63万字。
从抽查情况看，各地年鉴编校质量总体较好，但也存在数字用法不统一、标点使用不规范、图片说明缺少时间要素等问题。省地方志办已将抽查结果逐一反馈各地，要求限期整改。（省地方志办）

【市州动态】
阿坝州启动《阿坝州志（1991—2010）》评审工作
8月2日，阿坝州地方志办召开《阿坝州志（1991—2010）》评审准备会，研究确定评审专家组成员和评审流程。该志共分38篇，约260万字，系统记述了阿坝州二十年间经济社会发展的历程。（阿坝州地方志办）

信息公开选项：主动公开
报：省委，省人大常委会，省人民政府，政协四川省委。
送：省直各部门，各市（州）委、市（州）人民政府。
发：各市（州）地方志办公室（党史地方志研究室，地方志编纂中心）。
四川省地方志工作办公室综合处          2021年8月6日印发
"""


def main() -> None:
    root = pathlib.Path(__file__).resolve().parent.parent
    text = TEXT.replace("\n", "\r\n")
    text.encode("gbk")  # fails loudly if a character outside GBK slipped in
    (root / "samples" / "gbk-encoded.txt").write_bytes(text.encode("gb18030"))


if __name__ == "__main__":
    main()
