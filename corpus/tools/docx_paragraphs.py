#!/usr/bin/env python3
# Lists the body paragraphs of a .docx in order, numbered from 1: every <w:p> element of
# word/document.xml after <w:body>, including empty ones and those inside tables, with the text
# of its <w:t> runs. These numbers are the "line" of a .docx in corpus truth files.
# Usage: python3 docx_paragraphs.py FILE.docx
import zipfile,re,sys
# Body paragraphs in order: every <w:p> in word/document.xml's body (including those inside tables), numbered from 1.
x=zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode('utf8')
body=x[x.find('<w:body'):]
paras=re.findall(r'<w:p\b[^>]*/>|<w:p\b[^>]*>.*?</w:p>',body,re.S)
for i,p in enumerate(paras,1):
    t=''.join(re.findall(r'<w:t(?:\s[^>]*)?>([^<]*)</w:t>',p))
    print(i, t)
