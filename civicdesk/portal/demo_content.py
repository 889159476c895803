# ruff: noqa: E501, ISC004  (demo texts: long sentences split over lines)
"""Demo content of the public website (loaded by demo.py): realistic, bilingual, safe to publish.

Each page: (slug, kind, theme, administration, service, Chinese (title, summary, body),
English (title, summary, body) or None when the page is not translated yet).
"""

from __future__ import annotations

Text = tuple[str, str, str]
PageSpec = tuple[str, str, str, str, str, Text, Text | None]

PAGES: list[PageSpec] = [
    (
        # The home page's editable part: summary = welcome text, title + body = the highlights.
        "home",
        "home",
        "110",
        "C10",
        "I00",
        (
            "常用服務",
            "本分署依法公正執行公法上金錢給付義務，也關心您的生活。在這裡可以查詢如何繳款、申請分期與清償證明，或直接詢問我們。",
            "- [超商繳款與其他繳款方式](/info/payment-methods/)\n- [申請分期繳納](/info/instalments/)\n"
            "- [申請清償證明](/info/clearance-certificate/)\n- [拍賣公告與投標須知](/info/auctions/)\n"
            "- [常見問答](/faq/)",
        ),
        (
            "Popular services",
            "We enforce public-law debts fairly and with care for your livelihood. Here you can find out how to pay, "
            "ask for instalments or a clearance certificate, or ask us directly.",
            "- [Paying at a convenience store and other ways to pay](/en/info/payment-methods/)\n"
            "- [Paying in instalments](/en/info/instalments/)\n"
            "- [Clearance certificates](/en/info/clearance-certificate/)\n- [Auctions and bidding](/en/info/auctions/)\n"
            "- [Frequently asked questions](/en/faq/)",
        ),
    ),
    (
        "about-the-branch",
        "about",
        "110",
        "C10",
        "I00",
        (
            "機關簡介",
            "本分署負責臺中市、彰化縣、南投縣公法上金錢給付義務之強制執行。",
            "## 組織與職掌\n\n本分署隸屬法務部行政執行署，辦理稅款、罰鍰、健保費、勞保費等公法上金錢給付義務之強制執行。\n\n"
            "- 執行科：受理移送案件、查封、拍賣及分期繳納\n- 秘書室：文書、總務、為民服務與網站\n- 政風室、統計室、人事室\n\n"
            "## 服務理念\n\n依法公正執行，兼顧義務人生活與人性尊嚴，以「一次到位」的單一窗口提供服務。",
        ),
        (
            "About the branch",
            "We enforce money owed to the state in Taichung City and Changhua and Nantou counties.",
            "## Organisation and duties\n\nThe branch belongs to the Administrative Enforcement Agency of the Ministry of Justice. "
            "It enforces public-law debts such as taxes, fines, and health and labour insurance premiums.\n\n"
            "- Enforcement divisions: receive transferred cases, seize and auction property, grant instalments\n"
            "- Secretariat: records, general affairs, public service and the website\n- Ethics, Statistics and Personnel offices\n\n"
            "## How we work\n\nFair enforcement under the law, with care for the obligor's livelihood and dignity, "
            "through a single window where one visit is enough.",
        ),
    ),
    (
        "opening-hours",
        "about",
        "110",
        "E20",
        "I00",
        (
            "服務時間與交通",
            "週一至週五上午8時30分至下午5時30分，中午不打烊。",
            "## 服務時間\n\n週一至週五 08:30–17:30，中午 12:00–13:00 有值班執行員照常受理。國定假日及颱風停班日暫停服務。\n\n"
            "## 交通方式\n\n- 搭乘臺中市公車至市政府站下車，步行約5分鐘\n- 本分署設有身心障礙者專用停車位\n\n"
            "## 無障礙服務\n\n一樓設有無障礙坡道、愛心鈴及輪椅，需要協助請洽服務台。",
        ),
        (
            "Opening hours and how to get here",
            "Monday to Friday 08:30–17:30, open over lunch.",
            "## Opening hours\n\nMonday to Friday 08:30–17:30. Between 12:00 and 13:00 an officer on duty keeps serving. "
            "Closed on national holidays and when work is suspended for a typhoon.\n\n"
            "## Getting here\n\n- By Taichung city bus to the City Hall stop, then about five minutes on foot\n"
            "- Parking spaces for people with disabilities are available\n\n"
            "## Accessibility\n\nThe ground floor has a ramp, a help bell and wheelchairs; ask at the service desk.",
        ),
    ),
    (
        "contact-us",
        "about",
        "110",
        "E20",
        "I00",
        (
            "聯絡我們",
            "案件問題請洽承辦股，一般問題請洽服務台。",
            "案件相關問題，請依執行命令或通知書上所載承辦股別及電話聯絡。\n\n"
            "一般諮詢、申訴或建議，可至服務台洽詢，或利用本網站 [常見問答](/faq/) 查詢。\n\n"
            "## 廉政檢舉\n\n如發現員工有不法或不當行為，請向政風室反映，我們將依法處理並保密。",
        ),
        (
            "Contact us",
            "For your case, call the subdivision named on your notice; for anything else, the service desk.",
            "For questions about a case, contact the subdivision and telephone number printed on your enforcement order or notice.\n\n"
            "For general questions, complaints or suggestions, ask at the service desk or read our [frequently asked questions](/en/faq/).\n\n"
            "## Reporting misconduct\n\nIf you see unlawful or improper conduct by our staff, tell the Ethics Office; "
            "reports are handled in confidence.",
        ),
    ),
    (
        "organisation-chart",
        "about",
        "110",
        "C10",
        "I00",
        (
            "組織架構",
            "分署長、副分署長、主任行政執行官及各科室。",
            "- 分署長、副分署長\n- 主任行政執行官\n- 執行第一科、執行第二科（下設各股）\n- 秘書室\n- 政風室\n- 統計室\n- 人事室",
        ),
        (
            "Organisation chart",
            "Director, deputy director, chief enforcement officer and divisions.",
            "- Director and deputy director\n- Chief enforcement officer\n- First and Second Enforcement Divisions (with subdivisions)\n"
            "- Secretariat\n- Ethics Office\n- Statistics Office\n- Personnel Office",
        ),
    ),
    (
        "core-policies",
        "policy",
        "120",
        "C10",
        "I00",
        (
            "施政重點",
            "落實公平執行、保障弱勢、提升服務品質。",
            "## 年度施政重點\n\n1. 積極清理欠稅及罰鍰大戶，維護租稅公平\n2. 對經濟弱勢義務人提供分期繳納與轉介社福資源\n"
            "3. 推動便民措施：超商繳款、線上申辦、單一窗口\n4. 強化資訊安全與個人資料保護",
        ),
        (
            "Core policies",
            "Fair enforcement, protection of vulnerable people, better service.",
            "## Priorities this year\n\n1. Pursue the largest tax and fine debts to keep taxation fair\n"
            "2. Offer instalments and referrals to social services to obligors in hardship\n"
            "3. Make things easier: paying at convenience stores, online applications, one window\n"
            "4. Strengthen information security and personal-data protection",
        ),
    ),
    (
        "service-quality-plan",
        "plan",
        "120",
        "E10",
        "I00",
        (
            "服務品質提升執行計畫",
            "依行政院服務品質獎評獎構面訂定之年度執行計畫。",
            "本計畫依「政府服務品質獎」評獎構面訂定，包括基礎服務、服務遞送、服務量能、開放創新及前瞻服務。\n\n"
            "## 主要措施\n\n- 中午不打烊與單一窗口\n- 申辦案件處理時限公開與進度查詢\n- 顧客滿意度調查與即時評價\n- 雙語網站與分類檢索\n\n"
            "計畫執行情形每季檢討，並於網站公開。",
        ),
        (
            "Service quality improvement plan",
            "The yearly plan built on the Government Service Award's criteria.",
            "The plan follows the criteria of the Government Service Award: basic service, delivery, capacity, "
            "openness and innovation, and forward-looking service.\n\n## Main measures\n\n- Open over lunch, one window\n"
            "- Published time limits and progress look-up for applications\n- Satisfaction surveys and real-time ratings\n"
            "- Bilingual website with classification search\n\nProgress is reviewed every quarter and published here.",
        ),
    ),
    (
        "measures-single-window",
        "measure",
        "400",
        "E20",
        "I00",
        (
            "單一窗口服務",
            "一處收件、全程服務，不必在各科室間奔波。",
            "民眾至服務台即可辦理繳款、分期申請、清償證明及案件查詢，由收件人員協助聯繫承辦股，必要時請執行員至窗口說明。",
        ),
        (
            "One-window service",
            "One counter receives your business and follows it through.",
            "At the service desk you can pay, apply for instalments or a clearance certificate and ask about your case. "
            "The clerk contacts the responsible subdivision and, when needed, asks the officer to come to the counter.",
        ),
    ),
    (
        "measures-lunch-hour",
        "measure",
        "400",
        "E20",
        "I00",
        (
            "中午不打烊",
            "中午時段安排值班執行員，方便上班族洽公。",
            "為方便上班民眾利用午休時間洽公，每日 12:00–13:00 安排值班執行員及收件人員，繳款、申請及諮詢照常受理。",
        ),
        (
            "Open over lunch",
            "An officer is on duty at lunchtime for people who work.",
            "So that people can come in their lunch break, an officer and a clerk are on duty every day from 12:00 to 13:00; "
            "payments, applications and questions are handled as usual.",
        ),
    ),
    (
        "measures-care-referral",
        "measure",
        "400",
        "E20",
        "E00",
        (
            "弱勢關懷與轉介",
            "發現義務人生活困難時，主動轉介社會福利資源。",
            "執行過程中如發現義務人或其家庭生活陷於困境，本分署會主動通報並轉介社會局、勞工局等單位，並依法考量分期或暫緩執行。",
        ),
        (
            "Care and referral",
            "When an obligor is in hardship we refer them to social services.",
            "If we find that an obligor or their family is in hardship, we notify and refer them to social welfare and labour "
            "offices and consider instalments or a pause in enforcement as the law allows.",
        ),
    ),
    (
        "budget-and-accounts",
        "budget",
        "130",
        "D00",
        "I00",
        (
            "預算與決算",
            "本分署歷年預算書及決算書。",
            "依政府資訊公開法主動公開本分署預算及決算，請於下方文件清單依年度下載。\n\n如需更早年度資料，請洽秘書室。",
        ),
        (
            "Budgets and final accounts",
            "The branch's budgets and final accounts by year.",
            "Under the Freedom of Government Information Act we publish our budgets and final accounts; download them by year "
            "from the list below.\n\nFor earlier years, contact the Secretariat.",
        ),
    ),
    (
        "pay-at-convenience-stores",
        "service",
        "310",
        "C11",
        "800",
        (
            "超商繳款",
            "持繳款單可至7-ELEVEN、全家、萊爾富、OK超商繳納。",
            "## 如何繳款\n\n1. 持本分署寄發之繳款單（含三段條碼）\n2. 至四大超商櫃台繳納，單筆上限新臺幣2萬元\n"
            "3. 保留收據，入帳約需3至5個工作天\n\n## 注意事項\n\n- 繳款單逾期不能使用，請向承辦股重新申請\n"
            "- 超過2萬元請臨櫃、匯款或ATM轉帳繳納",
        ),
        (
            "Paying at convenience stores",
            "Pay with your payment slip at 7-ELEVEN, FamilyMart, Hi-Life or OK.",
            "## How to pay\n\n1. Bring the payment slip we sent you (it has three barcodes)\n"
            "2. Pay at the counter of any of the four chains, up to NT$20,000 per slip\n"
            "3. Keep the receipt; the payment reaches your case in 3 to 5 working days\n\n## Good to know\n\n"
            "- An expired slip cannot be used; ask the subdivision for a new one\n"
            "- Over NT$20,000, pay at our counter, by bank transfer or at an ATM",
        ),
    ),
    (
        "instalments",
        "service",
        "310",
        "C13",
        "800",
        (
            "分期繳納",
            "一次繳清有困難時，可申請分期繳納。",
            "## 申請條件\n\n義務人因經濟困難無法一次繳清者，得向本分署申請分期繳納。\n\n## 應備文件\n\n"
            "- 分期繳納申請書\n- 身分證明文件\n- 收入或財產狀況證明\n\n## 審核\n\n"
            "本分署審酌欠款金額及經濟狀況核定期數，原則最長60期。未依期繳納者，將恢復強制執行。",
        ),
        (
            "Paying in instalments",
            "If you cannot pay at once, you can apply to pay in instalments.",
            "## Who can apply\n\nAn obligor who cannot pay the whole amount at once because of financial hardship.\n\n"
            "## What to bring\n\n- The instalment application form\n- Proof of identity\n- Proof of income or assets\n\n"
            "## Decision\n\nWe set the number of instalments by the amount owed and your situation, normally at most 60. "
            "If an instalment is missed, enforcement resumes.",
        ),
    ),
    (
        "clearance-certificate",
        "service",
        "330",
        "C14",
        "I00",
        (
            "清償證明申請",
            "繳清欠款後，可申請清償證明。",
            "義務人繳清全部欠款後，可臨櫃或線上申請清償證明，供出境、貸款或其他用途使用。\n\n"
            "處理時限為3個工作天，可選擇臨櫃領取或郵寄。",
        ),
        (
            "Clearance certificate",
            "After paying in full you can ask for a certificate that the debt is cleared.",
            "Once everything is paid, apply at the counter or online for a clearance certificate, used for travel, loans and "
            "other purposes.\n\nIt takes 3 working days; collect it at the counter or have it posted.",
        ),
    ),
    (
        "auctions",
        "service",
        "320",
        "C12",
        "800",
        (
            "拍賣公告與投標須知",
            "不動產及動產拍賣公告、投標方式與注意事項。",
            "## 投標方式\n\n1. 詳閱拍賣公告及點交條件\n2. 於投標期間內以通訊或現場方式投標，並繳納保證金\n"
            "3. 開標當日公開唱標，由出價最高者得標\n\n## 注意事項\n\n- 不點交之不動產，得標人須自行處理占有問題\n"
            "- 拍賣公告請見 [最新消息](/news/)",
        ),
        (
            "Auctions and how to bid",
            "Notices of real-estate and movable-property auctions and how to bid.",
            "## How to bid\n\n1. Read the auction notice and the handover terms carefully\n"
            "2. Bid by post or in person within the bidding period and pay the deposit\n"
            "3. Bids are opened in public; the highest bid wins\n\n## Good to know\n\n"
            "- For property sold without handover, the buyer must deal with any occupants\n"
            "- Auction notices are under [news](/en/news/)",
        ),
    ),
    (
        "refunds",
        "service",
        "310",
        "C11",
        "800",
        (
            "溢繳款退還",
            "重複繳納或溢繳時，可申請退還。",
            "義務人重複繳納或繳納金額超過應納金額時，本分署將通知退還，亦可檢具存摺影本申請退還至本人帳戶。",
        ),
        (
            "Refunds of overpayments",
            "If you paid twice or too much, you can ask for a refund.",
            "If you paid twice or more than you owed, we will tell you and refund it; you can also apply with a copy of your "
            "passbook to have it paid into your own account.",
        ),
    ),
    (
        "exit-ban",
        "service",
        "210",
        "C11",
        "900",
        (
            "限制出境",
            "欠款達一定金額且有隱匿財產等情形，得限制出境。",
            "依行政執行法規定，義務人欠款達一定金額，且有顯有履行能力而不履行、隱匿或處分財產等情形，本分署得限制其出境。\n\n"
            "繳清欠款或提供相當擔保後，即可申請解除限制出境。",
        ),
        (
            "Exit bans",
            "Large debts with hidden assets can lead to a ban on leaving the country.",
            "Under the Administrative Execution Act, when an obligor owes a large amount and clearly can pay but does not, or "
            "hides or disposes of assets, we may ban them from leaving the country.\n\n"
            "After paying in full or giving adequate security, apply for the ban to be lifted.",
        ),
    ),
    (
        "payment-methods",
        "service",
        "310",
        "C11",
        "800",
        (
            "繳款方式一覽",
            "臨櫃、超商、ATM轉帳、匯款及信用卡等繳款方式。",
            "- 臨櫃繳納：現金、支票\n- 超商繳納：持繳款單，單筆2萬元以下\n- ATM轉帳或臨櫃匯款：帳號請見繳款單\n"
            "- 信用卡：部分案件適用，請洽承辦股",
        ),
        (
            "Ways to pay",
            "At our counter, convenience stores, ATM transfer, bank remittance or credit card.",
            "- At our counter: cash or cheque\n- At convenience stores: with the slip, up to NT$20,000\n"
            "- ATM transfer or bank remittance: the account is printed on the slip\n"
            "- Credit card: for some cases; ask the subdivision",
        ),
    ),
    (
        "privacy-and-security",
        "policy",
        "110",
        "F00",
        "I00",
        (
            "隱私權及資訊安全政策",
            "本網站如何保護您的個人資料。",
            "本網站不公開任何個人資料；公開查詢結果中的姓名與身分證號均經遮蔽處理。\n\n"
            "我們僅在提供服務所必要的範圍內蒐集個人資料，並依個人資料保護法妥善保存。",
        ),
        (
            "Privacy and security policy",
            "How this website protects your personal data.",
            "This website publishes no personal data; names and ID numbers in public look-ups are masked.\n\n"
            "We collect personal data only as needed to serve you and keep it as the Personal Data Protection Act requires.",
        ),
    ),
    (
        "accessibility",
        "policy",
        "110",
        "F00",
        "I00",
        (
            "無障礙聲明",
            "本網站依 WCAG 2.1 AA 設計。",
            "本網站依據無障礙網頁開發規範及 WCAG 2.1 AA 等級設計，支援鍵盤操作與螢幕報讀軟體。如使用上有任何問題，歡迎告訴我們。",
        ),
        (
            "Accessibility statement",
            "This website is designed to WCAG 2.1 AA.",
            "This website follows the national accessibility guidelines and WCAG 2.1 level AA, and works with a keyboard and "
            "screen readers. Tell us if anything gets in your way.",
        ),
    ),
    (
        "news-auction-2026-12",
        "news",
        "320",
        "C12",
        "800",
        (
            "115年12月不動產拍賣公告",
            "本分署訂於12月舉行不動產第一次拍賣。",
            "本分署訂於115年12月15日上午10時於本分署拍賣室舉行不動產第一次拍賣，標的位於臺中市西屯區，詳見拍賣公告。\n\n"
            "投標相關規定請參閱 [拍賣公告與投標須知](/info/auctions/)。",
        ),
        (
            "First auction of real estate, December 2026",
            "A first auction of real estate will be held in December.",
            "A first auction of real estate in Xitun District, Taichung, will be held in our auction room at 10:00 on "
            "15 December 2026. See the notice for details and [how to bid](/en/info/auctions/).",
        ),
    ),
    (
        "news-lunar-new-year",
        "news",
        "140",
        "E20",
        "I00",
        (
            "春節期間服務時間",
            "春節連假期間暫停臨櫃服務，超商繳款照常。",
            "春節連續假期期間暫停臨櫃服務，超商及ATM繳款照常，入帳日期順延至假期後第一個工作天。",
        ),
        (
            "Service over the Lunar New Year",
            "The counter is closed over the holiday; convenience-store payments continue.",
            "The counter is closed over the Lunar New Year holiday. Payments at convenience stores and ATMs continue; "
            "they reach your case on the first working day after the holiday.",
        ),
    ),
    (
        "news-typhoon",
        "news",
        "140",
        "E20",
        "E00",
        (
            "颱風停班期間之繳款期限",
            "因颱風停止上班，繳款期限順延。",
            "因颱風來襲，臺中市政府宣布停止上班，本分署當日暫停服務。當日到期之繳款及申請期限順延至恢復上班之日。",
        ),
        None,
    ),
    (
        "news-online-applications",
        "news",
        "140",
        "E20",
        "I00",
        (
            "線上申辦服務上線",
            "分期繳納及清償證明可線上申請。",
            "即日起，分期繳納、清償證明及溢繳款退還均可於本網站線上申請，並可隨時查詢辦理進度。",
        ),
        (
            "Online applications are live",
            "Instalments and clearance certificates can now be applied for online.",
            "From today you can apply online for instalments, clearance certificates and refunds, and follow the progress "
            "at any time.",
        ),
    ),
    (
        "news-satisfaction-survey",
        "news",
        "140",
        "E10",
        "I00",
        (
            "顧客滿意度調查結果",
            "本年度整體滿意度為九成二。",
            "本分署本年度顧客滿意度調查共回收有效問卷1,024份，整體滿意度為92%，其中「服務態度」最受肯定，"
            "「等候時間」仍有改善空間，我們將增設叫號系統改善。",
        ),
        (
            "Customer satisfaction survey results",
            "92% of respondents were satisfied overall this year.",
            "This year's survey returned 1,024 valid questionnaires; 92% were satisfied overall. Staff courtesy scored best; "
            "waiting time still needs work, so we are adding a queue-ticket system.",
        ),
    ),
    (
        "news-auction-vehicles",
        "news",
        "320",
        "C12",
        "800",
        (
            "動產（車輛）拍賣公告",
            "本月將拍賣查封之自用小客車3輛。",
            "本分署訂於本月下旬拍賣查封之自用小客車3輛，拍賣前一日開放看車，詳細車況請見拍賣公告。",
        ),
        None,
    ),
    (
        "news-fraud-warning",
        "news",
        "140",
        "C10",
        "E00",
        (
            "慎防詐騙",
            "本分署不會以電話要求轉帳至個人帳戶。",
            "近來有歹徒冒用本分署名義，以電話要求民眾操作ATM轉帳。本分署不會以電話要求轉帳至個人帳戶，"
            "如有疑問請撥打165反詐騙專線或洽本分署服務台。",
        ),
        (
            "Beware of fraud",
            "We never ask you by phone to transfer money to a personal account.",
            "Fraudsters have been calling people in our name and asking them to transfer money at an ATM. We never ask for a "
            "transfer to a personal account by phone. If in doubt, call the 165 anti-fraud line or our service desk.",
        ),
    ),
    (
        "news-plan-q3-report",
        "news",
        "120",
        "E10",
        "I00",
        (
            "第3季服務品質執行情形",
            "第3季各項服務指標均達成目標。",
            "第3季申辦案件於時限內完成比率為98.7%，中午值班服務人次計1,320人次，各項指標均達成年度目標。",
        ),
        (
            "Service quality, third quarter",
            "Every service target was met in the third quarter.",
            "In the third quarter 98.7% of applications were completed within the time limit and 1,320 people were served "
            "over lunch; every yearly target was met.",
        ),
    ),
]

FAQ_CATEGORIES = [
    ("payment", "繳款", "Paying", 10),
    ("instalments", "分期繳納", "Instalments", 20),
    ("certificates", "證明與查詢", "Certificates and look-ups", 30),
    ("auctions", "拍賣", "Auctions", 40),
    ("general", "一般問題", "General", 50),
]

# (category, service code, Chinese (question, answer), English (question, answer) or None, related page slugs)
FAQS: list[tuple[str, str, tuple[str, str], tuple[str, str] | None, list[str]]] = [
    (
        "payment",
        "800",
        ("可以在超商繳款嗎？", "可以。持本分署寄發之繳款單，至7-ELEVEN、全家、萊爾富、OK超商櫃台繳納，單筆上限2萬元。"),
        (
            "Can I pay at a convenience store?",
            "Yes. Take the payment slip we sent you to the counter of 7-ELEVEN, FamilyMart, Hi-Life or OK; up to NT$20,000 per slip.",
        ),
        ["pay-at-convenience-stores"],
    ),
    (
        "payment",
        "800",
        ("繳款單遺失或過期怎麼辦？", "請聯絡承辦股重新寄發，或至服務台當場列印新的繳款單。"),
        (
            "My payment slip is lost or expired. What now?",
            "Ask the subdivision to send a new one, or have one printed at the service desk.",
        ),
        ["pay-at-convenience-stores"],
    ),
    (
        "payment",
        "800",
        ("繳款後多久會入帳？", "超商繳款約3至5個工作天入帳；臨櫃繳納當日入帳。"),
        (
            "How long until my payment is credited?",
            "Convenience-store payments take 3 to 5 working days; at our counter, the same day.",
        ),
        ["payment-methods"],
    ),
    (
        "payment",
        "800",
        ("可以用信用卡繳納嗎？", "部分案件可用信用卡繳納，請先洽承辦股確認。"),
        ("Can I pay by credit card?", "For some cases, yes. Ask the subdivision first."),
        ["payment-methods"],
    ),
    (
        "payment",
        "800",
        ("重複繳款可以退費嗎？", "可以。本分署確認溢繳後會通知您，亦可檢具存摺影本申請退還。"),
        (
            "I paid twice. Can I get a refund?",
            "Yes. Once we confirm the overpayment we will tell you; you can also apply with a copy of your passbook.",
        ),
        ["refunds"],
    ),
    (
        "payment",
        "800",
        ("ATM轉帳的帳號在哪裡？", "轉帳帳號印在繳款單上，每一案件帳號不同，請勿轉入他案帳號。"),
        (
            "Where is the account number for an ATM transfer?",
            "It is printed on the payment slip; each case has its own account, so never use another case's.",
        ),
        ["payment-methods"],
    ),
    (
        "instalments",
        "800",
        ("分期繳納要準備什麼文件？", "分期繳納申請書、身分證明文件及收入或財產狀況證明。"),
        (
            "What do I need to apply for instalments?",
            "The application form, proof of identity and proof of income or assets.",
        ),
        ["instalments"],
    ),
    (
        "instalments",
        "800",
        ("最多可以分幾期？", "依欠款金額及經濟狀況核定，原則最長60期。"),
        ("How many instalments can I have?", "It depends on the amount and your situation, normally at most 60."),
        ["instalments"],
    ),
    (
        "instalments",
        "800",
        ("分期期間漏繳一期會怎樣？", "未依期繳納者，本分署得廢止分期並恢復強制執行，請務必按期繳納。"),
        (
            "What happens if I miss an instalment?",
            "We may cancel the instalment plan and resume enforcement, so please pay on time.",
        ),
        ["instalments"],
    ),
    (
        "instalments",
        "800",
        ("可以線上申請分期嗎？", "可以，請於本網站線上申辦區申請，並可隨時查詢進度。"),
        (
            "Can I apply for instalments online?",
            "Yes, through the online services on this website, where you can also follow progress.",
        ),
        ["instalments"],
    ),
    (
        "instalments",
        "800",
        ("分期期間還會被查封嗎？", "依期繳納期間，原則上不再對您的財產進行新的查封。"),
        None,
        ["instalments"],
    ),
    (
        "certificates",
        "I00",
        ("如何申請清償證明？", "繳清全部欠款後，可臨櫃或線上申請，3個工作天內核發。"),
        (
            "How do I get a clearance certificate?",
            "After paying in full, apply at the counter or online; it is issued within 3 working days.",
        ),
        ["clearance-certificate"],
    ),
    (
        "certificates",
        "I00",
        ("可以請別人代為申請清償證明嗎？", "可以，代理人須攜帶委託書、雙方身分證明文件。"),
        (
            "Can someone else apply for my certificate?",
            "Yes, with a signed authorisation and both people's proof of identity.",
        ),
        ["clearance-certificate"],
    ),
    (
        "certificates",
        "I00",
        ("如何查詢案件進度？", "可於本網站以申辦編號查詢，或電洽承辦股。"),
        (
            "How can I check the progress of my case?",
            "Look it up on this website with your reference number, or call the subdivision.",
        ),
        [],
    ),
    (
        "certificates",
        "900",
        ("被限制出境要如何解除？", "繳清欠款或提供相當擔保後，即可申請解除限制出境。"),
        ("How is an exit ban lifted?", "Pay in full or give adequate security, then apply for the ban to be lifted."),
        ["exit-ban"],
    ),
    (
        "auctions",
        "800",
        ("如何參加拍賣投標？", "詳閱拍賣公告後，於投標期間以通訊或現場方式投標並繳納保證金。"),
        (
            "How do I bid at an auction?",
            "Read the notice, then bid by post or in person within the bidding period and pay the deposit.",
        ),
        ["auctions"],
    ),
    (
        "auctions",
        "800",
        ("什麼是不點交？", "不點交指拍定後本分署不負責排除占有，得標人須自行處理。"),
        (
            "What does 'sold without handover' mean?",
            "We will not remove occupants after the sale; the buyer must deal with them.",
        ),
        ["auctions"],
    ),
    (
        "auctions",
        "800",
        ("沒有得標的保證金何時退還？", "未得標者於開標後當場無息退還保證金。"),
        ("When is my deposit returned if I do not win?", "At once, after the bids are opened, without interest."),
        ["auctions"],
    ),
    ("auctions", "800", ("拍賣公告在哪裡看？", "請見本網站最新消息及本分署公告欄。"), None, ["auctions"]),
    (
        "general",
        "I00",
        ("中午可以去辦事嗎？", "可以。中午12時至13時有值班執行員照常受理。"),
        ("Can I come at lunchtime?", "Yes. An officer is on duty from 12:00 to 13:00."),
        ["measures-lunch-hour", "opening-hours"],
    ),
    (
        "general",
        "I00",
        ("接到自稱分署的電話要求轉帳，怎麼辦？", "本分署不會以電話要求轉帳至個人帳戶，請撥165反詐騙專線查證。"),
        (
            "Someone calling from 'the branch' wants a transfer. What should I do?",
            "We never ask for transfers to personal accounts by phone; call 165 to check.",
        ),
        ["news-fraud-warning"],
    ),
    (
        "general",
        "E00",
        ("生活困難可以請求協助嗎？", "可以，請告知執行員，本分署將依情形考量分期並轉介社福資源。"),
        (
            "I am in hardship. Can you help?",
            "Yes. Tell the officer; we will consider instalments and refer you to social services.",
        ),
        ["measures-care-referral"],
    ),
    (
        "general",
        "I00",
        ("為什麼我的案件會移送到分署？", "您積欠之稅款、罰鍰或保費經原機關催繳未繳，依法移送本分署強制執行。"),
        (
            "Why was my case sent to the branch?",
            "The agency you owed (tax, fine or premium) sent it to us after reminders went unpaid.",
        ),
        [],
    ),
    (
        "general",
        "I00",
        ("網站有英文版嗎？", "有，點選頁面上方的 English 即可切換語言。"),
        ("Is there an English website?", "Yes, choose English at the top of any page."),
        [],
    ),
]

# Documents: Chinese and English titles, category, year, descriptions and the text of the file.
DOCUMENTS = [
    (
        "112年度法定預算",
        "2023 statutory budget",
        "budget",
        2023,
        "112年度歲入歲出預算書。",
        "The 2023 revenue and expenditure budget.",
        "科目,預算數\n人事費,185000000\n業務費,42000000\n設備及投資,6500000\n",
    ),
    (
        "113年度法定預算",
        "2024 statutory budget",
        "budget",
        2024,
        "113年度歲入歲出預算書。",
        "The 2024 revenue and expenditure budget.",
        "科目,預算數\n人事費,189000000\n業務費,43500000\n設備及投資,7200000\n",
    ),
    (
        "114年度法定預算",
        "2025 statutory budget",
        "budget",
        2025,
        "114年度歲入歲出預算書。",
        "The 2025 revenue and expenditure budget.",
        "科目,預算數\n人事費,192500000\n業務費,44800000\n設備及投資,8100000\n",
    ),
    (
        "115年度法定預算",
        "2026 statutory budget",
        "budget",
        2026,
        "115年度歲入歲出預算書。",
        "The 2026 revenue and expenditure budget.",
        "科目,預算數\n人事費,196000000\n業務費,46000000\n設備及投資,8800000\n",
    ),
    (
        "112年度決算",
        "2023 final accounts",
        "final_accounts",
        2023,
        "112年度歲入歲出決算。",
        "The 2023 final accounts.",
        "科目,決算數\n人事費,183200000\n業務費,40900000\n設備及投資,6300000\n",
    ),
    (
        "113年度決算",
        "2024 final accounts",
        "final_accounts",
        2024,
        "113年度歲入歲出決算。",
        "The 2024 final accounts.",
        "科目,決算數\n人事費,187600000\n業務費,42700000\n設備及投資,7000000\n",
    ),
    (
        "114年度決算",
        "",
        "final_accounts",
        2025,
        "114年度歲入歲出決算。",
        "",
        "科目,決算數\n人事費,191000000\n業務費,44100000\n設備及投資,7900000\n",
    ),
    (
        "115年度服務品質提升執行計畫",
        "2026 service quality improvement plan",
        "plan",
        2026,
        "本年度服務品質提升執行計畫全文。",
        "Full text of this year's service quality plan.",
        "服務品質提升執行計畫\n一、基礎服務：中午不打烊、單一窗口\n二、服務遞送：線上申辦、超商繳款\n三、開放創新：雙語網站、分類檢索\n",
    ),
    (
        "分期繳納申請書",
        "Instalment application form",
        "form",
        2026,
        "申請分期繳納使用之表單。",
        "The form to apply for instalments.",
        "分期繳納申請書\n義務人姓名\n身分證統一編號\n申請期數\n每期金額\n",
    ),
    (
        "清償證明申請書",
        "Clearance certificate application form",
        "form",
        2026,
        "申請清償證明使用之表單。",
        "The form to apply for a clearance certificate.",
        "清償證明申請書\n義務人姓名\n身分證統一編號\n領取方式：臨櫃、郵寄\n",
    ),
]
