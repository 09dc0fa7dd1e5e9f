#!/usr/bin/python3
"""Generates a camt.053 statement of bank lines paying a ledger's open
invoices, in the shapes remittance texts take at real banks, and keeps the
truth (which invoices each line pays) in a CSV beside it.

usage: match-gen.py LEDGER.db OUT_DIR [--lines N] [--seed S] [--date YYYY-MM-DD]

Writes OUT_DIR/lines.xml (the statement), OUT_DIR/truth.csv
(reference,shape,invoices) and OUT_DIR/texts.txt (one remittance text per
line, for pcre2grep). Each line pays invoices no other line pays while
there are enough open ones; past that (timing runs on 100,000 lines) the
invoices repeat and the truth is only indicative.

Shapes (share of lines):
  exact       30%  the invoice number as written, amount = open amount
  mangled     10%  "inv2025-20894", "INV 2025 20894", "2025/020894"...
  several     10%  2-4 invoices of one customer, amount = their sum
  noref        8%  no reference, amount of one open invoice
  oldest       7%  no reference, the customer's 2-3 oldest invoices
  partial      8%  a reference and 30-70% of its amount ("ACOMPTE")
  fees         7%  a reference, amount short of bank charges
  overpaid     4%  a reference, a little more than the amount
  typo         6%  a reference with two digits swapped or one dropped
  otherpayer   5%  a reference, paid by another company (a parent)
  junk         5%  no reference, no customer, a random amount: pays nothing
"""
import argparse
import datetime
import os
import random
import sqlite3
import unicodedata
import zlib
from xml.sax.saxutils import escape

SHAPES = [('exact', 30), ('mangled', 10), ('several', 10), ('noref', 8), ('oldest', 7), ('partial', 8),
          ('fees', 7), ('overpaid', 4), ('typo', 6), ('otherpayer', 5), ('junk', 5)]
LEGAL = ['SAS', 'SARL', 'SA', 'EURL', 'GMBH', 'LTD', 'INC', 'SPRL', 'SNC', 'BV', 'AG']

args = argparse.ArgumentParser()
args.add_argument('db')
args.add_argument('out')
args.add_argument('--lines', type=int, default=2000)
args.add_argument('--seed', type=int, default=1)
args.add_argument('--date', default='2026-11-21')
a = args.parse_args()
rng = random.Random(a.seed)
db = sqlite3.connect('file:%s?mode=ro' % a.db, uri=True)

customers = {cid: (code, name) for cid, code, name in db.execute('SELECT id, code, name FROM customer')}
open_by_customer = {}
for iid, number, cid, amount, currency, due in db.execute(
        "SELECT id, number, customer_id, open_amount, currency, due_date FROM invoice"
        " WHERE kind = 'invoice' AND open_amount > 0 AND currency = 'EUR' ORDER BY customer_id, due_date, number"):
    open_by_customer.setdefault(cid, []).append([number, amount, due])
taken = set()


def bank_name(name):
    """A name as a bank writes it: ASCII capitals, 35 characters."""
    s = unicodedata.normalize('NFKD', name).encode('ascii', 'ignore').decode().upper()
    s = ''.join(c if c.isalnum() or c == ' ' else ' ' for c in s)
    return ' '.join(s.split())[:35]


def payer_variant(name):
    s = bank_name(name)
    words = s.split()
    r = rng.random()
    if r < 0.5 or len(words) < 2:
        return s
    if r < 0.7 and words[-1] in LEGAL:
        return ' '.join(words[:-1])
    if r < 0.85:
        return ' '.join(w for w in words if w not in LEGAL) + ' ' + rng.choice(LEGAL)
    return s.title()


def mangle(number):
    prefix, year, seq = number.split('-')
    return rng.choice([
        '%s %s %d' % (prefix, year, int(seq)),
        '%s%s-%d' % (prefix.lower(), year, int(seq)),
        '%s-%s-%d' % (prefix, year, int(seq)),
        '%s%s%s' % (prefix, year, seq),
        '%s/%s' % (year, seq),
        '%s/%s/%s' % (prefix, year, seq),
        'fact. %s %s' % (year, seq),
    ])


def typo(number):
    prefix, year, seq = number.split('-')
    digits = list(seq)
    if rng.random() < 0.5:
        i = rng.randrange(len(digits) - 1)
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:
        del digits[rng.randrange(len(digits))]
    return '%s-%s-%s' % (prefix, year, ''.join(digits))


def label(numbers):
    return rng.choice(['', 'FACTURE ', 'REGLEMENT FACTURE ', 'INVOICE ', 'VIR SEPA ', 'PAYMENT ']) + ' '.join(numbers)


def pick_customer(count=1):
    """A customer with at least count open invoices not taken yet."""
    cids = list(open_by_customer)
    for _ in range(200):
        cid = rng.choice(cids)
        free = [inv for inv in open_by_customer[cid] if inv[0] not in taken]
        if len(free) >= count:
            return cid, free
    taken.clear()  # past the ledger's open invoices: timing runs only
    return pick_customer(count)


def shape_of_line():
    r = rng.randrange(100)
    for shape, weight in SHAPES:
        if r < weight:
            return shape
        r -= weight
    return 'junk'


def eur(cents):
    return '%d.%02d' % (cents // 100, cents % 100)


os.makedirs(a.out, exist_ok=True)
day = datetime.date.fromisoformat(a.date)
lines = []
for n in range(a.lines):
    shape = shape_of_line()
    ref = 'BENCH-%07d' % (n + 1)
    date = (day - datetime.timedelta(days=rng.randrange(30))).isoformat()
    if shape == 'junk':
        lines.append((ref, date, rng.randrange(1000, 500000), 'VIREMENT ' + rng.choice(['', 'SEPA ', 'RECU ']).strip(),
                      'M. %s %s' % (rng.choice(['JEAN', 'ANNE', 'PAUL', 'MARIE']), rng.choice(['DURAND', 'PETIT', 'LEROY'])),
                      shape, []))
        continue
    count = {'several': rng.randint(2, 4), 'oldest': rng.randint(2, 3)}.get(shape, 1)
    cid, free = pick_customer(count)
    code, name = customers[cid]
    invs = free[:count] if shape == 'oldest' else rng.sample(free, count)
    if shape == 'oldest' and len(free) != len(open_by_customer[cid]):
        shape = 'several'  # older ones are taken: name them instead
    for inv in invs:
        taken.add(inv[0])
    numbers = [inv[0] for inv in invs]
    amount = sum(inv[1] for inv in invs)
    payer = payer_variant(name)
    text = label(numbers)
    if shape == 'mangled':
        text = ' '.join(mangle(x) for x in numbers)
    elif shape in ('noref', 'oldest'):
        text = rng.choice(['VIREMENT', 'PAIEMENT FOURNISSEUR', 'SUPPLIER PAYMENT', 'REGLEMENT', ''])
    elif shape == 'several' and rng.random() < 0.4:
        first = numbers[0]
        text = 'FACT %s ET %s' % (first, ' ET '.join(x.split('-')[-1] for x in numbers[1:]))
        if any(x.split('-')[1] != first.split('-')[1] for x in numbers[1:]):
            text = label(numbers)
    elif shape == 'partial':
        amount = amount * rng.randint(30, 70) // 100
        text = 'ACOMPTE ' + text
    elif shape == 'fees':
        amount -= rng.randint(50, 2500)
    elif shape == 'overpaid':
        amount += rng.randint(100, 10000)
    elif shape == 'typo':
        text = label([typo(numbers[0])])
    elif shape == 'otherpayer':
        payer = 'HOLDING %s GROUP' % rng.choice(['ALPHA', 'OMEGA', 'DELTA', 'NORD', 'SUD'])
    if amount <= 0:
        amount = invs[0][1]
    lines.append((ref, date, amount, text, payer, shape, numbers))

lines.sort(key=lambda x: (x[1], x[0]))
with open(os.path.join(a.out, 'lines.xml'), 'w', encoding='utf-8') as f:
    total = sum(x[2] for x in lines)
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>\n'
            '<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>%sT20:00:00</CreDtTm></GrpHdr>\n'
            '<Stmt><Id>BENCH-%s</Id><Acct><Id><IBAN>FR7612345000010000000000185</IBAN></Id><Ccy>EUR</Ccy></Acct>\n'
            '<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            '<Dt><Dt>%s</Dt></Dt></Bal>\n'
            '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            '<Dt><Dt>%s</Dt></Dt></Bal>\n' % (a.date, a.date, a.date, eur(total), a.date))
    for ref, date, amount, text, payer, shape, numbers in lines:
        iban = 'FR76%023d' % zlib.crc32(payer.encode()) if payer else ''
        f.write('<Ntry><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
                '<BookgDt><Dt>%s</Dt></BookgDt><ValDt><Dt>%s</Dt></ValDt><NtryDtls><TxDtls>'
                '<Refs><EndToEndId>%s</EndToEndId></Refs><RltdPties><Dbtr><Nm>%s</Nm></Dbtr>'
                '<DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct></RltdPties>'
                '<RmtInf><Ustrd>%s</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n'
                % (eur(amount), date, date, ref, escape(payer), iban, escape(text)))
    f.write('</Stmt></BkToCstmrStmt></Document>\n')
with open(os.path.join(a.out, 'truth.csv'), 'w', encoding='utf-8') as f:
    f.write('reference,shape,invoices\n')
    for ref, date, amount, text, payer, shape, numbers in lines:
        f.write('%s,%s,%s\n' % (ref, shape, ';'.join(numbers)))
with open(os.path.join(a.out, 'texts.txt'), 'w', encoding='utf-8') as f:
    for line in lines:
        f.write(line[3] + '\n')
print('%d lines, %d invoices referenced, in %s' % (len(lines), sum(len(x[6]) for x in lines), a.out))
