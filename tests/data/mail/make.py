#!/usr/bin/env python3
"""Writes the mail fixtures for tests/mail_fixtures.rs, byte for byte.

Each message imitates what a real client writes: its headers, its line endings
(CRLF for Windows and webmail clients, LF for mutt's mbox), how it encodes
headers (RFC 2047 B or Q words, folded the way that client folds them), its
transfer encoding and its charset. Encoding is done here by hand rather than
with Python's `email` package so the bytes are exactly the ones a client sends
(`email` would re-fold and re-encode in its own way).

Rerun it from anywhere:  python3 tests/data/make.py
"""

import base64
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


# --- helpers ---------------------------------------------------------------


def b_words(text, codec, label, max_bytes=45):
    """RFC 2047 B-encoded words, split at character boundaries so no word
    holds half a multi-byte character (as Foxmail, Outlook and 163 do)."""
    words, chunk = [], b""
    for ch in text:
        b = ch.encode(codec)
        if chunk and len(chunk) + len(b) > max_bytes:
            words.append(chunk)
            chunk = b""
        chunk += b
    if chunk:
        words.append(chunk)
    return ["=?%s?B?%s?=" % (label, base64.b64encode(w).decode()) for w in words]


def q_words(text, codec, label, max_chars=60):
    """RFC 2047 Q-encoded words: space as '_', everything else but letters
    and digits as =XX; a new word (never inside a character) once one would
    pass `max_chars` encoded characters, so each stays under 75."""
    words, cur = [], ""
    for ch in text:
        enc = ""
        for byte in ch.encode(codec):
            c = chr(byte)
            if c == " ":
                enc += "_"
            elif c.isascii() and c.isalnum():
                enc += c
            else:
                enc += "=%02X" % byte
        if cur and len(cur) + len(enc) > max_chars:
            words.append(cur)
            cur = ""
        cur += enc
    if cur:
        words.append(cur)
    return ["=?%s?Q?%s?=" % (label, w) for w in words]


def b64_body(data, eol):
    """Base64 in 76-character lines, as every client writes it."""
    s = base64.b64encode(data).decode()
    return eol.join(s[i : i + 76] for i in range(0, len(s), 76)) + eol


def qp_body(data, eol):
    """Quoted-printable (RFC 2045 6.7): lines of at most 76 characters with
    '=' soft breaks, which may fall between the bytes of one multi-byte
    character, as real encoders do. `data` uses b"\\n" for line ends."""
    out_lines = []
    for line in data.split(b"\n"):
        enc = []
        for i, byte in enumerate(line):
            last = i == len(line) - 1
            if byte == 0x3D or byte > 126 or (byte < 32 and byte != 9):
                enc.append("=%02X" % byte)
            elif byte in (0x20, 0x09) and last:
                enc.append("=%02X" % byte)
            else:
                enc.append(chr(byte))
        cur = ""
        for token in enc:
            if len(cur) + len(token) > 75:
                out_lines.append(cur + "=")
                cur = ""
            cur += token
        out_lines.append(cur)
    return eol.join(out_lines)


def crlf(text):
    return text.replace("\n", "\r\n")


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# --- 1. Foxmail: text/plain, GBK, base64 -----------------------------------
# 喆 (U+5586) is in GBK but not in GB2312, so a GB2312-only decoder fails here.

FOX_SUBJECT = "订单 20260108-3321 迟迟未发货，请尽快处理"
FOX_NAME = "张喆"
FOX_BODY = """您好：

我在 1 月 8 日下的订单（订单号 20260108-3321）到现在还没有发货，
页面上一直显示“备货中”。当时客服承诺 48 小时内发出，已经过去五天了。

这批货是给客户准备的年会礼品，1 月 20 日之前必须收到，否则只能退款。
请尽快给我一个明确的发货时间。

张喆
上海喆联贸易有限公司
电话：021-5555 0123



"""

fox_subject = b_words(FOX_SUBJECT, "gbk", "GBK", max_bytes=36)
fox = (
    "Date: Tue, 13 Jan 2026 09:41:27 +0800\n"
    'From: "%s" <zhang.wei@example.cn>\n' % b_words(FOX_NAME, "gbk", "GBK")[0]
    + 'To: "support" <support@kith.example>\n'
    "Subject: " + "\n\t".join(fox_subject) + "\n"
    "X-Priority: 3\n"
    "X-GUID: 6C1E4B0A-2F39-4D8E-9A57-3B0F1C2D9E84\n"
    "X-Has-Attach: no\n"
    "X-Mailer: Foxmail 7.2.25.228[cn]\n"
    "Mime-Version: 1.0\n"
    "Message-ID: <202601130941271238516@example.cn>\n"
    "Content-Type: text/plain;\n"
    '\tcharset="GBK"\n'
    "Content-Transfer-Encoding: base64\n"
    "\n"
)
write(
    "foxmail_gbk.eml",
    crlf(fox).encode("ascii") + b64_body(crlf(FOX_BODY).encode("gbk"), "\r\n").encode(),
)


# --- 2. 163.com (Coremail): multipart/alternative, GB2312, QP -------------

NE_SUBJECT = "回复：发票抬头需要修改（订单 20251230-0087）"
NE_NAME = "李娜"
NE_TEXT = """王经理：

您好！上周开的发票抬头写错了，应为“杭州明远科技有限公司”，税号 91330106MA2K0XXXX8。麻烦重新开具，旧发票我会寄回。

谢谢！
李娜
"""
NE_HTML = (
    '<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial">'
    "<div>王经理：</div><div><br></div>"
    "<div>您好！上周开的发票抬头写错了，应为“杭州明远科技有限公司”，税号 91330106MA2K0XXXX8。"
    "麻烦重新开具，旧发票我会寄回。</div><div><br></div>"
    "<div>谢谢！</div><div>李娜</div></div><br><br>"
    '<span title="neteasefooter"><p>&nbsp;</p></span>\n'
)
ne_boundary = "----=_Part_312645_1393715087.1768377912034"
ne = (
    "Received: from lina_2026$163.com ( [223.104.63.17] ) by\n"
    " ajax-webmail-wmsvr-40-110 (Coremail) ; Wed, 14 Jan 2026 16:05:12 +0800\n"
    " (CST)\n"
    "Date: Wed, 14 Jan 2026 16:05:12 +0800 (CST)\n"
    "From: %s <lina_2026@163.com>\n" % q_words(NE_NAME, "gb2312", "gb2312")[0]
    + "To: support@kith.example\n"
    "Message-ID: <6a1b2c3d.4e5f.19bb0c1d2e3.Coremail.lina_2026@163.com>\n"
    "Subject: %s\n" % "\n ".join(q_words(NE_SUBJECT, "gb2312", "gb2312"))
    + "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; \n"
    '\tboundary="%s"\n' % ne_boundary
    + "X-Originating-IP: [223.104.63.17]\n"
    "X-Priority: 3\n"
    "X-Mailer: Coremail Webmail Server Version XT5.0.14 build 20230109(dcb5de15)\n"
    " Copyright (c) 2002-2026 www.mailtech.cn 163com\n"
    "X-NTES-SC: AL_Qu2cAv2bvkwi5CWdZOkXn0oTju85XMCzuv8j3YJeN500qSTz+g8Sc3BJN1L5\n"
    "\n"
    "------=_Part_312645_1393715087.1768377912034\n"
    "Content-Type: text/plain; charset=GB2312\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
)
ne_mid = (
    "\n"
    "------=_Part_312645_1393715087.1768377912034\n"
    "Content-Type: text/html; charset=GB2312\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
)
ne_end = "\n------=_Part_312645_1393715087.1768377912034--\n"
write(
    "163_gb2312_qp.eml",
    crlf(ne).encode()
    + qp_body(NE_TEXT.encode("gb2312"), "\r\n").encode()
    + crlf(ne_mid).encode()
    + qp_body(NE_HTML.encode("gb2312"), "\r\n").encode()
    + crlf(ne_end).encode(),
)


# --- 3. Outlook: mixed > alternative (UTF-8 QP) + PDF, RFC 2231 name -------

OL_SUBJECT = "答复: 退款申请 #4521 的进度（已提交三次，请尽快回复）"
OL_NAME = "王芳"
OL_TEXT = """您好，

我们在 12 月 20 日提交的退款申请（编号 #4521）至今没有进展，这已经是第三次询问了。附件是当时的发票，退款金额 = ¥12,800.00，请核对。

Best regards,
王芳 | Wang Fang
采购部 Purchasing – Contoso China
Tel: +86 10 5555 0199

"""
OL_HTML = """<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<style><!--
/* Font Definitions */
@font-face
	{font-family:DengXian;}
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0cm;
	font-size:10.5pt;
	font-family:DengXian;}
--></style>
</head>
<body lang="ZH-CN" link="#0563C1" vlink="#954F72" style="word-wrap:break-word;text-justify-trim:punctuation">
<div class="WordSection1">
<p class="MsoNormal">您好，<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">我们在 12 月 20 日提交的退款申请（编号 #4521）至今没有进展，这已经是第三次询问了。附件是当时的发票，退款金额 = ¥12,800.00，请核对。<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><span lang="EN-US">Best regards,<o:p></o:p></span></p>
<p class="MsoNormal">王芳 <span lang="EN-US">| Wang Fang<o:p></o:p></span></p>
</div>
</body>
</html>
"""
# A small but well-formed PDF (one empty page).
OL_PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000015 00000 n \n0000000060 00000 n \n"
    b"0000000111 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n178\n%%EOF\n"
)
ol_b1 = "_004_TYCPR01MB12345ABCD6E7F8A9B0C1D2E3F4A5B6C7D8TYCPR01MB1234_"
ol_b2 = "_000_TYCPR01MB12345ABCD6E7F8A9B0C1D2E3F4A5B6C7D8TYCPR01MB1234_"
ol_subject = b_words(OL_SUBJECT, "utf-8", "utf-8", max_bytes=39)
ol_pdf_name_word = b_words("发票.pdf", "utf-8", "utf-8")[0]
ol = (
    "Received: from TYCPR01MB12345.jpnprd01.prod.outlook.com (2603:1096:400:3c1::8)\n"
    " by TYCPR01MB12345.jpnprd01.prod.outlook.com with HTTPS; Thu, 15 Jan 2026\n"
    " 02:13:46 +0000\n"
    "From: =?utf-8?B?%s?= <Wang.Fang@Contoso-Example.com>\n"
    % base64.b64encode(OL_NAME.encode()).decode()
    + "To: support <support@kith.example>\n"
    "Subject: " + "\n ".join(ol_subject) + "\n"
    "Thread-Topic: " + "\n ".join(b_words("退款申请 #4521 的进度（已提交三次，请尽快回复）", "utf-8", "utf-8", 39)) + "\n"
    "Thread-Index: AdyFv2pQ0m3kV1a0TBuVvWl9iKXt7A==\n"
    "Date: Thu, 15 Jan 2026 02:13:45 +0000\n"
    "Message-ID:\n"
    " <TYCPR01MB12345ABCD6E7F8A9B0C1D2E3F4A5B6C7D8@TYCPR01MB12345.jpnprd01.prod.outlook.com>\n"
    "References:\n"
    " <TYCPR01MB98765FEDC@TYCPR01MB98765.jpnprd01.prod.outlook.com>\n"
    "In-Reply-To:\n"
    " <TYCPR01MB98765FEDC@TYCPR01MB98765.jpnprd01.prod.outlook.com>\n"
    "Accept-Language: zh-CN, en-US\n"
    "Content-Language: zh-CN\n"
    "X-MS-Has-Attach: yes\n"
    "X-MS-TNEF-Correlator:\n"
    "Content-Type: multipart/mixed;\n"
    '\tboundary="%s"\n' % ol_b1
    + "MIME-Version: 1.0\n"
    "\n"
    "--%s\n" % ol_b1
    + "Content-Type: multipart/alternative;\n"
    '\tboundary="%s"\n' % ol_b2
    + "\n"
    "--%s\n" % ol_b2
    + 'Content-Type: text/plain; charset="utf-8"\n'
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
)
ol_mid = (
    "\n--%s\n" % ol_b2
    + 'Content-Type: text/html; charset="utf-8"\n'
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
)
ol_att = (
    "\n--%s--\n" % ol_b2
    + "\n--%s\n" % ol_b1
    + 'Content-Type: application/pdf; name="%s"\n' % ol_pdf_name_word
    + "Content-Description: %s\n" % ol_pdf_name_word
    + "Content-Disposition: attachment; filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf;\n"
    + '\tsize=%d; creation-date="Thu, 15 Jan 2026 02:12:10 GMT";\n' % len(OL_PDF)
    + '\tmodification-date="Thu, 15 Jan 2026 02:13:45 GMT"\n'
    "Content-Transfer-Encoding: base64\n"
    "\n"
)
ol_end = "\n--%s--\n" % ol_b1
write(
    "outlook_mixed_pdf.eml",
    crlf(ol).encode()
    + qp_body(OL_TEXT.encode(), "\r\n").encode()
    + crlf(ol_mid).encode()
    + qp_body(OL_HTML.encode(), "\r\n").encode()
    + crlf(ol_att).encode()
    + b64_body(OL_PDF, "\r\n").encode()
    + crlf(ol_end).encode(),
)


# --- 4. HTML only, UTF-8, base64 (a shop's contact form relayed by mail) ---

HT_HTML = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Nouveau message</title>
<style>
  p { margin: 0 0 12px; }
  .muted { color: #888; }
</style>
</head>
<body>
<div style="font-family: Arial, sans-serif; font-size: 14px">
  <p>Bonjour,</p>
  <p>Mon colis &laquo;&nbsp;KX-2231&nbsp;&raquo; est arriv&eacute; ab&icirc;m&eacute; &mdash; le carton
     &eacute;tait &eacute;cras&eacute; &amp; deux tasses &eacute;taient cass&eacute;es.<br>
     Date de commande&nbsp;: 3&nbsp;janvier&nbsp;2026<br/>
     Suivi : <a href="https://track.example/KX-2231">KX-2231</a></p>
  <ul>
    <li>Tasse bleue &times; 2</li>
    <li>Soucoupe &#8220;Lin&#8221;</li>
  </ul>
  <p>Pouvez-vous m&#x2019;envoyer des remplacements&nbsp;? Prix &lt; 30&nbsp;&euro;.</p>
  <!-- form id 8812 -->
  <p>Merci,<br>
  &Eacute;milie Dubois</p>
  <p class="muted">Envoy&eacute; depuis le formulaire de contact</p>
</div>
</body>
</html>
"""
ht = (
    "Return-Path: <emilie.dubois@example.fr>\n"
    "Date: Fri, 16 Jan 2026 18:45:00 +0100\n"
    "From: =?utf-8?Q?=C3=89milie_Dubois?= <emilie.dubois@example.fr>\n"
    "To: support@kith.example\n"
    "Subject: =?utf-8?Q?Colis_endommag=C3=A9_=E2=80=93_commande_KX-2231?=\n"
    "Message-ID: <contact-8812.1768585500@shop.example>\n"
    "MIME-Version: 1.0\n"
    'Content-Type: text/html; charset="utf-8"\n'
    "Content-Transfer-Encoding: base64\n"
    "\n"
)
write("html_only_base64.eml", crlf(ht).encode() + b64_body(crlf(HT_HTML).encode(), "\r\n").encode())


# --- 5. mutt via procmail: mbox envelope, ASCII, format=flowed -------------
# Lines ending in a space are soft breaks (RFC 3676); "-- " is the signature
# separator, not a soft break; " From" is space-stuffed.

MU = (
    "From emily.carter@example.org Mon Jan 12 13:29:52 2026\n"
    "Return-Path: <emily.carter@example.org>\n"
    "Received: from mail.example.org (mail.example.org [198.51.100.7])\n"
    "\tby mx.kith.example (Postfix) with ESMTPS id 4dQx1Z3kPbz9sT\n"
    "\tfor <support@kith.example>; Mon, 12 Jan 2026 13:29:52 +0000 (UTC)\n"
    "Date: Mon, 12 Jan 2026 08:29:51 -0500\n"
    "From: Emily Carter <Emily.Carter@Example.ORG>\n"
    "To: Kith Support <support@kith.example>\n"
    "Subject: Re: [kith #88] Printer still jams after the firmware update\n"
    "Message-ID: <aWQx8k2Lm9pTz3vB@lab.example.org>\n"
    "References: <case-88.1768000000@kith.example>\n"
    "In-Reply-To: <case-88.1768000000@kith.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=us-ascii; format=flowed\n"
    "Content-Disposition: inline\n"
    "User-Agent: NeoMutt/20231103\n"
    "Status: RO\n"
    "Content-Length: 0\n"
    "Lines: 17\n"
    "\n"
    "On Fri, Jan 09, 2026 at 10:02:11AM +0000, Kith Support wrote:\n"
    "> Please install firmware 4.2.1 and tell us whether the paper jams \n"
    "> continue.\n"
    "\n"
    "I installed 4.2.1 on Friday as you suggested. The printer still jams \n"
    "on the second sheet of every duplex job, and the display shows \n"
    "error E-204.\n"
    "\n"
    " From here on I will send all jobs single-sided.\n"
    "\n"
    "Could someone come and look at it this week?\n"
    "\n"
    "Emily\n"
    "\n"
    "-- \n"
    "Emily Carter, Lab Manager\n"
    "Example Research Lab\n"
    "\n"
)
write("mutt_flowed.eml", MU.encode("ascii"))


# --- 6a. GB18030, 8bit body (QQ Mail style) --------------------------------
# 䶮 (U+4DAE) and 𠀾 (U+2003E) are four-byte sequences in GB18030: not in GBK.

GB_SUBJECT = "刘䶮：保修卡上的名字打错了"
GB_NAME = "刘䶮"
GB_BODY = """你好，保修卡上我的名字印成了“刘言”，正确的是“刘䶮”（䶮 读 yǎn）。
另外店名里的“𠀾”也显示不出来。请帮忙更正，谢谢。
"""
gb = (
    'From: "%s" <10086123@qq.com>\n' % b_words(GB_NAME, "gb18030", "gb18030")[0]
    + "To: \"support\" <support@kith.example>\n"
    "Subject: %s\n" % b_words(GB_SUBJECT, "gb18030", "gb18030", 60)[0]
    + "Date: Sat, 17 Jan 2026 21:03:09 +0800\n"
    "Message-ID: <tencent_5F1D2A3B4C5D6E7F8A9B0C1D2E3F@qq.com>\n"
    "X-QQ-mid: webmail812t1768654989t1234567\n"
    "Mime-Version: 1.0\n"
    'Content-Type: text/plain; charset="gb18030"\n'
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
)
write("qq_gb18030_8bit.eml", crlf(gb).encode() + crlf(GB_BODY).encode("gb18030"))


# --- 6b. Big5, base64 (a Taiwanese Outlook) --------------------------------
# 許 is B3 5C in Big5: its second byte is a backslash.

BG_SUBJECT = "請問保固期限"
BG_NAME = "許志明"
BG_BODY = """您好：

我的機器序號是 TW-7731，請問保固到什麼時候？

許志明 敬上
"""
bg = (
    "From: =?big5?B?%s?= <hsu.cm@example.com.tw>\n" % base64.b64encode(BG_NAME.encode("big5")).decode()
    + "To: <support@kith.example>\n"
    "Subject: =?big5?B?%s?=\n" % base64.b64encode(BG_SUBJECT.encode("big5")).decode()
    + "Date: Mon, 19 Jan 2026 10:15:00 +0800\n"
    "Message-ID: <000001dc8a2b$3c4d5e60$b4e81b20$@example.com.tw>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain;\n"
    '\tcharset="big5"\n'
    "Content-Transfer-Encoding: base64\n"
    "X-Mailer: Microsoft Outlook 16.0\n"
    "Content-Language: zh-tw\n"
    "\n"
)
write("outlook_big5.eml", crlf(bg).encode() + b64_body(crlf(BG_BODY).encode("big5"), "\r\n").encode())


# --- extra: Thunderbird, UTF-8 8bit, RFC 2231 continued file name ----------

TB = (
    "Message-ID: <8f0d1c2e-3b4a-4c5d-9e6f-7a8b9c0d1e2f@example.de>\n"
    "Date: Tue, 20 Jan 2026 07:58:03 +0100\n"
    "MIME-Version: 1.0\n"
    "User-Agent: Mozilla Thunderbird\n"
    "Content-Language: de-DE\n"
    "To: support@kith.example\n"
    "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen.mueller@example.de>\n"
    "Subject: Reklamation: Lieferung =?UTF-8?Q?unvollst=C3=A4ndig?=\n"
    "Content-Type: multipart/mixed; boundary=\"------------Zk3n0X8yq2VbM4cR7tUa1WpE\"\n"
    "\n"
    "This is a multi-part message in MIME format.\n"
    "--------------Zk3n0X8yq2VbM4cR7tUa1WpE\n"
    "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Guten Tag,\n"
    "\n"
    "in der Lieferung vom 15.01. fehlen zwei Kartons. Die Übersicht liegt \n"
    "bei.\n"
    "\n"
    "Grüße\n"
    "Jürgen Müller\n"
    "\n"
    "--------------Zk3n0X8yq2VbM4cR7tUa1WpE\n"
    "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;\n"
    " name=\"=?UTF-8?B?5a6i5oi35oqV6K+J6K6w5b2V5rGH5oC7Lnhsc3g=?=\"\n"
    "Content-Disposition: attachment;\n"
    " filename*0*=UTF-8''%E5%AE%A2%E6%88%B7%E6%8A%95%E8%AF%89%E8%AE%B0%E5%BD%95;\n"
    " filename*1*=%E6%B1%87%E6%80%BB%2E%78%6C%73%78\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "UEsDBBQAAAAIAAAAIQBQSwUGAAAAAAAAAAAAAAAAAAAAAAAA\n"
    "\n"
    "--------------Zk3n0X8yq2VbM4cR7tUa1WpE--\n"
)
# Thunderbird encodes only the words that need it, and writes CRLF.
write("thunderbird_2231.eml", crlf(TB).encode("utf-8"))


# --- 7. not messages --------------------------------------------------------


def tiny_png():
    """A valid 1x1 white PNG."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


write("not_tiny.png", tiny_png())
write("not_invoice.pdf", OL_PDF)
write(
    "not_paragraph.txt",
    (
        "Dear support team, my order from last week has still not arrived and the\n"
        "tracking page has not changed since Monday. Could you please check what\n"
        "happened to it? Thank you.\n"
    ).encode(),
)
write("not_empty.eml", b"")
write(
    "not_contact.vcf",
    crlf(
        "BEGIN:VCARD\n"
        "VERSION:3.0\n"
        "FN:Zhang Wei\n"
        "N:Zhang;Wei;;;\n"
        "EMAIL;TYPE=INTERNET:zhang.wei@example.cn\n"
        "TEL;TYPE=CELL:+86 138 0013 8000\n"
        "END:VCARD\n"
    ).encode(),
)
write(
    "not_contacts.csv",
    (
        "name,email,phone\n"
        "Zhang Wei,zhang.wei@example.cn,+86 138 0013 8000\n"
        "Emily Carter,emily.carter@example.org,+1 555 0100\n"
    ).encode(),
)
write(
    "not_headers_no_from.eml",
    crlf(
        "To: support@kith.example\n"
        "Subject: Order 4521\n"
        "Date: Thu, 15 Jan 2026 02:13:45 +0000\n"
        "Message-ID: <nofrom-1@example.com>\n"
        "\n"
        "Where is my refund?\n"
    ).encode(),
)
# A From header without an address: a display name only (as a broken web
# form writes it) - a message, but nobody to answer.
write(
    "no_sender.eml",
    crlf(
        "From: Customer Service\n"
        "To: support@kith.example\n"
        "Subject: Automatic notice\n"
        "Date: Thu, 15 Jan 2026 02:13:45 +0000\n"
        "\n"
        "This mailbox is not monitored.\n"
    ).encode(),
)

print("fixtures written to", HERE)
