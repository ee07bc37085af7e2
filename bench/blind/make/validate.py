"""Parse and sanity-check the blind set (own files only)."""
import csv, re, sys, statistics as st
from collections import Counter
import os; os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
N=list(csv.DictReader(open('needs.csv',encoding='utf-8')))
T=list(csv.DictReader(open('talents.csv',encoding='utf-8')))
tr=list(csv.DictReader(open('truth.csv',encoding='utf-8')))
hn=list(csv.DictReader(open('hard_negatives.csv',encoding='utf-8')))
print('needs',len(N),'talents',len(T),'truth',len(tr),'hard_neg',len(hn))
W=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]
assert all("10X98765432"[sum(int(a)*b for a,b in zip(t['身份证号'][:17],W))%11]==t['身份证号'][17] for t in T if t['身份证号'])
C="0123456789ABCDEFGHJKLMNPQRTUWXY";W2=[1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28]
assert all(C[(31-sum(C.index(a)*b for a,b in zip(s[:17],W2))%31)%31]==s[17] for s in (n['统一社会信用代码'] for n in N))
assert len({t['姓名'] for t in T})==len(T) and len({n['需求名称'] for n in N})==len(N)
assert all(re.fullmatch(r'1380000\d{4}',x) for x in [t['手机号'] for t in T]+[n['联系电话'] for n in N])
for t in T:
    if t['身份证号']:
        b=t['身份证号'][6:14]; d=t['出生日期'].replace('-','')
        assert b.startswith(d) or b[:4]+str(int(b[4:6]))==d.replace('.',''), (b,d)
for r in tr+hn:
    assert N[int(r['need_id'])-2]['需求名称']==r['need_title'] and T[int(r['talent_id'])-2]['姓名']==r['talent_name']
assert not {(r['need_id'],r['talent_id']) for r in tr} & {(r['need_id'],r['talent_id']) for r in hn}
def bg(s): s=re.sub(r'[^\u4e00-\u9fffA-Za-z0-9]','',s); return {s[i:i+2] for i in range(len(s)-1)}
def ov(r):
    n=N[int(r['need_id'])-2]; t=T[int(r['talent_id'])-2]
    return len(bg(n['需求名称']+n['需求描述'])&bg(t['研究方向']+t['所学专业']+t['代表性成果']))
for lab,rows in [('rel2',[r for r in tr if r['relevance']=='2']),('rel1',[r for r in tr if r['relevance']=='1']),('hardneg',hn)]:
    o=[ov(r) for r in rows]; print(lab,'n',len(o),'shared-bigram mean %.2f median %s  <=1 shared: %.0f%%'%(st.mean(o),st.median(o),100*sum(x<=1 for x in o)/len(o)))
print(Counter(r['kind'] for r in hn))
print(Counter(t['最高学位'] for t in T))
print('needs demanding 博士:',sum('博士' in n['期望人才'] for n in N),' 高级/正高:',sum(('高级' in n['期望人才'] or '正高' in n['期望人才']) for n in N))
print(Counter(n['所属领域'] for n in N))
print('OK')
# every labelled pair must satisfy the need's stated degree/title requirement
SEN = ("教授", "研究员", "正高", "副教授", "副研究员", "高级", "主任", "副主任")
for r in tr:
    n = N[int(r['need_id'])-2]; t = T[int(r['talent_id'])-2]; q = n['期望人才']
    if '博士' in q and '本科或硕士' not in q: assert t['最高学位'] == '博士', (n['需求名称'], t['姓名'])
    if '硕士以上' in q: assert t['最高学位'] in ('博士', '硕士'), (n['需求名称'], t['姓名'])
    if '高级' in q or '正高' in q or '主任医师' in q: assert t['职称'].startswith(SEN), (n['需求名称'], t['职称'])
    if '正高' in q: assert t['职称'].startswith(('教授', '研究员', '正高')), (n['需求名称'], t['职称'])
print('requirements OK')
