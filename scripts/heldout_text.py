"""Phrasings for scripts/make_heldout.py: sentence and chat templates, non-PII prose, headings and the
vocabulary of medical and HR records. Data only; make_heldout.py fills the templates in.

Templates use presidio-evaluator's ``{{placeholder}}`` syntax; make_heldout.PLACEHOLDER_TYPES maps every
placeholder to the entity type written to the ground truth (an unknown placeholder stops the generator).
Text without placeholders must hold no names, places, dates or numbers that identify anyone: every word
of it is scored as a word that must not be redacted.
"""

from __future__ import annotations

# Running text in letters, e-mails, forms, reports and newsletters, beyond presidio-evaluator's templates.
DOC_TEMPLATES = [
    "Please send the signed copy to {{email}} by {{date}}.",
    "You can reach {{first_name}} directly on {{phone_number}}.",
    "For more details visit {{domain}} or call {{phone_number}}.",
    "The full report is available at {{url}}.",
    "Our records show a sign-in from {{ip_address}} on {{date_time}}.",
    "If this was not you, please write to {{email}} straight away.",
    "{{person}} will take over as project lead from {{date}}.",
    "Invoices should be addressed to {{person}}, {{address}}.",
    "Refunds will be returned to card {{credit_card_number}} within five working days.",
    "We received your payment from account {{bank_account}} on {{date}}.",
    "Please wire the deposit to IBAN {{iban}} quoting your reference.",
    "Donations can also be made in bitcoin to {{btc}}.",
    "Send ETH or USDC only to {{eth}}; other tokens sent there will be lost.",
    "{{prefix}} {{last_name}} confirmed the appointment for {{date}} at {{time}}.",
    "The meeting will be held at {{street_address}}, {{city}}.",
    "{{first_name}} moved to {{city}} in {{year}} and still lives on {{street_name}}.",
    "Our new office is at {{address}}.",
    "Parcels for {{person}} can be left with the neighbour at {{street_address}}.",
    "Server {{ipv4}} stopped responding shortly after midnight.",
    "The VPN gateway now listens on {{ipv6}}.",
    "Traffic from {{ip_address}} was blocked by the firewall after repeated failures.",
    "Download the form from {{url}} and return it to {{email}}.",
    "{{first_name}} {{last_name}}, born {{date_of_birth}}, is the named policyholder.",
    "The applicant, aged {{age}}, has lived at the address for six years.",
    "Her passport ({{passport}}) expires on {{date}}.",
    "His driver's license number is {{us_driver_license}}.",
    "The claimant's social security number is {{ssn}}.",
    "As discussed, {{person}} ({{phone_number}}) is the emergency contact.",
    "Thanks to {{first_name}} and {{first_name}} for organising the event.",
    "Tickets are on sale at {{domain}} until {{date}}.",
    "Photos from the day are at {{url}}.",
    "Questions? Write to {{email}} or visit {{domain}}.",
    "{{person}} of {{city}} won the prize draw this year.",
    "The property at {{address}} was sold on {{date}}.",
    "We tried to deliver your parcel to {{street_address}} on {{day_of_week}}.",
    "Your NHS number is {{nhs}}; please quote it whenever you call.",
    "Prescriptions signed by {{prefix}} {{last_name}} (DEA {{medical_license}}) are valid for thirty days.",
    "I, {{person}}, authorise the release of my records to {{organization}}.",
    "{{first_name}}'s new mobile number is {{phone_number}}.",
    "Contact: {{person}}, {{phone_number}}, {{email}}",
    "Mail the documents to {{person}} at {{address}}.",
    "The webinar link is {{url}}; the password was sent separately.",
    "Reset your password at {{url}} within the next day.",
    "Records for {{first_name}} {{last_name}} were transferred from {{organization}} on {{date}}.",
    "{{person}} ({{age}}) was appointed treasurer at the last meeting.",
    "From {{date}}, payments go to account {{bank_account}}, routing number {{routing}}.",
    "The wallet {{crypto}} received the refund on {{date}}.",
    "Our mirror at {{ipv4}} will be retired next month.",
    "Collection is from {{street_address}} between nine and five.",
    "Dear customer, your card {{credit_card_number}} was charged on {{date}}.",
    "Written by {{person}} for {{organization}}.",
    "{{nickname}} and the team will be at the stand all weekend.",
    "Call {{first_name}} on {{phone_number}} or e-mail {{email}} to book a place.",
    "Apply online at {{url}} before {{date}}.",
    "Born in {{city}}, {{country}}, {{first_name}} later studied in {{city}}.",
    "The lease for {{address}} runs until {{date}}.",
    "Access was granted to {{email}} from IP address {{ip_address}}.",
    "The dashboard at {{url}} shows every request since {{date}}.",
    "More information: {{domain}}",
    "Our partner site {{domain}} lists the opening hours.",
    "Requests from {{ipv6}} were rate-limited overnight.",
    "Please confirm that {{first_name}} may collect the keys from {{street_address}}.",
    "{{prefix}} {{person}} has been our tenant at {{address}} since {{year}}.",
    "The refund of the deposit went to wallet {{eth}} as requested.",
    "Ring {{first_name}} at home on {{phone_number}} if the office is closed.",
    "The hearing is listed for {{date}} at {{time}} before {{prefix}} {{last_name}}.",
    "Your account was opened on {{date}} with the e-mail {{email}}.",
    "We have updated your address to {{address}}.",
    "{{person}} celebrated {{age}} years with friends and family.",
    "On {{date}} {{first_name}} reported the card {{credit_card_number}} stolen.",
    "Scan the code or go to {{url}} to pay online.",
    "This newsletter is also online at {{domain}}.",
]

# Chat messages that carry personal data. Placeholders as above; no full stops, as people type.
CHAT_TEMPLATES = [
    "hey it's {{first_name}}! new number {{phone_number}}",
    "my email is {{email}}",
    "send it to {{email}} pls",
    "check this out {{url}}",
    "here's the link {{url}}",
    "{{domain}} has it cheaper",
    "try {{domain}}, they deliver",
    "server ip is {{ipv4}}",
    "can you whitelist {{ip_address}}?",
    "ssh into {{ipv4}} and restart the service",
    "the new box is on {{ipv6}}",
    "btc: {{btc}}",
    "send the eth to {{eth}}",
    "wallet address {{crypto}} - double check before sending!!",
    "I'm at {{street_address}}, ring twice",
    "address is {{address}}",
    "meet at {{street_address}}?",
    "party's at {{first_name}}'s place, {{street_address}}",
    "are we still on for {{date}}?",
    "flight lands {{date}} at {{time}}",
    "appointment moved to {{day_of_week}} {{time}}",
    "card number {{credit_card_number}}",
    "use my card {{credit_card_number}} exp {{card_expiry}}",
    "ask {{first_name}}, she knows",
    "{{first_name}} says hi",
    "{{nickname}} is coming too",
    "tell {{nickname}} to call me",
    "lol {{nickname}} you legend",
    "call me on {{phone_number}} when you land",
    "{{first_name}}'s number is {{phone_number}}",
    "my new address: {{address}}",
    "iban {{iban}}, name {{person}}",
    "sort it with {{person}} from accounts, {{email}}",
    "born {{date_of_birth}} if the form asks",
    "his ssn is {{ssn}} apparently",
    "passport no {{passport}}",
    "happy birthday {{first_name}}!!",
    "thanks {{nickname}}!",
    "{{first_name}} and {{first_name}} are already here",
    "sign-in from {{ip_address}}, was that you?",
    "docs are on {{url}}",
    "grab the build from {{url}}",
    "website's down?? {{domain}} gives a 502",
    "is {{domain}} legit?",
    "pay me back to {{iban}} whenever",
    "account {{bank_account}} routing {{routing}}",
    "my mum's number in case: {{phone_number}}",
    "{{nickname}} what's your email again?",
    "it's {{email}}",
    "dinner at {{first_name}}'s on {{day_of_week}}?",
    "the flat is {{address}}",
    "she's {{age}} now can you believe it",
    "{{person}} from the bank called again",
    "just use {{url}} and log in",
    "ping {{ipv4}} and tell me what you get",
    "send {{crypto}} the 0.05, I'll pay you back",
    "new office: {{street_address}}, {{city}}",
    "tickets for {{date}} are on {{domain}}",
    "{{first_name}} {{last_name}} is the landlord's name",
    "wifi login went to {{email}}",
]

# Chat messages without personal data.
CHAT_SMALL_TALK = [
    "ok", "sounds good", "on my way", "running ten minutes late", "haha yes", "sure thing",
    "can't today, sorry", "did you get my message?", "thanks!!", "np", "see you there", "what time?",
    "I'll check and get back to you", "love it", "yes please", "nope", "just landed", "which one?", "lmk",
    "perfect, thanks", "can you send the details again?", "where are you?", "almost there",
    "I'll bring snacks", "did the payment go through?", "the wifi password is on the fridge",
    "still waiting for the delivery", "good morning!", "night!", "call you later", "how much was it?",
    "already paid", "send me the link", "what's your email again?", "what's the address?",
    "remind me tomorrow", "omg", "no worries at all", "that's brilliant", "agreed", "give me five minutes",
    "the meeting ran over", "traffic is awful", "can we move it to the afternoon?", "done!",
    "I'll forward it", "who's bringing the cake?", "can you hear me now?", "battery dying, text me",
    "got it", "hmm not sure", "let's do it", "keep me posted", "so sorry, totally forgot",
]  # fmt: skip

# Non-PII prose: whole sentences, and parts that combine into many more.
FILLER_SENTENCES = [
    "The committee thanks everyone who took part in this year's survey.",
    "Opening hours will change slightly during the holiday period.",
    "Please remember to recycle cardboard separately from glass and plastic.",
    "A new booking system will make it easier to reserve the meeting rooms.",
    "We are always looking for volunteers to help with the weekly market.",
    "The roof repairs were completed on time and within the agreed budget.",
    "Members are reminded that annual fees are due at the start of the season.",
    "Last quarter's results were better than expected across most regions.",
    "Energy costs remain the largest item in the operating budget.",
    "The training programme will be extended to all new starters.",
    "Feedback from the pilot scheme has been overwhelmingly positive.",
    "The car park will be resurfaced over two weekends.",
    "Several readers asked about the new waste collection timetable.",
    "The library has added a large selection of audio books.",
    "Staff turnover fell for the third consecutive year.",
    "Our helpline is open on weekdays from nine until five.",
    "The garden club meets on the first evening of every month.",
    "Improvements to the website should make forms quicker to complete.",
    "Customer satisfaction scores rose by four points.",
    "The board agreed to review the investment strategy after the summer.",
    "Construction of the new wing is expected to take eighteen months.",
    "Children under twelve must be accompanied by an adult.",
    "All proceeds from the raffle go to the hospice appeal.",
    "The survey closes at the end of the month, so there is still time to respond.",
    "Demand for the evening classes has grown steadily since the autumn.",
    "The choir is rehearsing a new programme for the winter concert.",
    "We apologise for the delay in publishing this issue.",
    "Road closures are expected while the water mains are replaced.",
    "The new heating system has already reduced our gas consumption.",
    "Applications for small community grants are now open.",
    "The research team published two papers and presented at three conferences.",
    "Revenue grew modestly while operating costs stayed flat.",
    "The warehouse move was completed without interrupting deliveries.",
    "Our thanks go to the catering team for another excellent lunch.",
    "Safety inspections found no serious issues this year.",
    "Parking permits must be displayed clearly at all times.",
    "The quiz night raised more than expected for the school fund.",
    "Anyone interested in joining the steering group should speak to the secretary.",
    "The next issue will focus on sustainability and local food.",
    "Visitors praised the new signage and the improved lighting.",
    "Most departments met their targets for the year.",
    "Please check the noticeboard for last-minute changes to the timetable.",
    "The cycle shelter is now covered and has room for forty bikes.",
    "A short film about the project will be shown before the main talk.",
    "Hand sanitiser is available at every entrance.",
    "The bakery stall sold out within an hour.",
    "Some of the older equipment will be donated to local schools.",
    "Broadband speeds in the building should double after the upgrade.",
    "The audit recommended clearer records for petty cash.",
    "Interest in the mentoring scheme has exceeded all expectations.",
]
FILLER_SUBJECTS = [
    "The committee", "Our volunteers", "The finance team", "The new policy", "The board", "The renovation project",
    "Local residents", "The research group", "Our customer service team", "The annual survey", "The pilot programme",
    "Several members", "The maintenance crew", "The steering group", "The design team", "Management",
    "The working party", "Our suppliers", "The planning department", "The youth section",
]  # fmt: skip
FILLER_VERBS = [
    "has approved", "will review", "continues to support", "is looking into", "has completed",
    "reported good progress on", "agreed to extend", "is still discussing", "welcomed", "raised concerns about",
    "voted to postpone", "published an update on", "has simplified", "wants to hear your views on",
    "is finalising", "has budgeted for",
]  # fmt: skip
FILLER_OBJECTS = [
    "the proposed budget", "the parking arrangements", "the recycling scheme", "the revised opening hours",
    "the training schedule", "the community garden", "the energy efficiency plan", "the new booking system",
    "the staff handbook", "the quarterly figures", "the playground upgrade", "the safety inspection",
    "the membership fees", "the website redesign", "the volunteer rota", "the travel policy",
    "the new phone system", "the catering contract", "the storage problem", "the accessibility review",
]  # fmt: skip
FILLER_TAILS = [
    "", " after a long consultation", " ahead of the next meeting", " despite the recent delays",
    " with the help of many volunteers", " for the coming year", " following feedback from members",
    " as promised in the last issue", " within the agreed budget", " in line with the new guidelines",
    " at the request of several readers", " once the contracts are signed",
]  # fmt: skip

HEADINGS = [
    "From the Chair", "News in Brief", "Upcoming Events", "Member Spotlight", "Finance Update", "Community Notes",
    "Health and Safety", "A Big Thank You", "Project Update", "Looking Ahead", "Research Highlights",
    "Letters to the Editor", "Volunteer Corner", "Market Overview", "Quarterly Results", "Staff News",
    "Around the Office", "Notes from the Board", "Facilities", "Training and Development", "Customer Stories",
    "Operations Review", "What's New", "In Other News", "Outlook",
]  # fmt: skip
PUBLICATION_WORDS = (
    ["The Quarterly", "Community", "Members'", "Practice", "Staff", "Neighbourhood", "The Weekly", "Parish",
     "Alumni", "Research", "Annual", "Business"],
    ["Newsletter", "Bulletin", "Review", "Update", "Report", "Digest", "Gazette", "Courier", "Notes", "Briefing"],
)  # fmt: skip
REPORT_KINDS = ["Newsletter", "Annual Report", "Feature", "Briefing", "Quarterly Review", "Bulletin"]
SIDEBAR_TITLES = ["Contact us", "Get in touch", "Useful contacts", "Who to call", "Key contacts", "Find us"]
EVENT_WORDS = [
    "Spring Fair", "Open Day", "Quiz Night", "Annual General Meeting", "Charity Walk", "Book Sale", "Coffee Morning",
    "Summer Picnic", "Careers Evening", "Board Meeting", "Family Fun Day", "Workshop",
]  # fmt: skip
QUOTES = [
    "We could not have done it without the people who gave up their weekends.",
    "The numbers tell only half of the story.",
    "Every small contribution made a real difference this year.",
    "Our priority is to listen first and act quickly.",
    "It has been a privilege to lead such a committed team.",
    "There is still a lot of work ahead of us.",
    "We want every visitor to feel welcome.",
    "This is the best result we have had in a decade.",
]

# Nicknames: a given name (ASCII folded, lower case) -> its usual short forms.
NICKNAMES: dict[str, list[str]] = {
    "alexander": ["Alex", "Sasha"], "alexandra": ["Alex", "Sandra", "Lexi"], "andrew": ["Andy", "Drew"],
    "anthony": ["Tony", "Ant"], "benjamin": ["Ben", "Benji"], "catherine": ["Cathy", "Kate"],
    "katherine": ["Kate", "Katie", "Kath"], "charles": ["Charlie", "Chuck"], "christopher": ["Chris", "Topher"],
    "christine": ["Chris", "Chrissy"], "daniel": ["Dan", "Danny"], "david": ["Dave", "Davey"],
    "deborah": ["Debbie", "Deb"], "edward": ["Ed", "Eddie", "Ted"], "elizabeth": ["Liz", "Beth", "Lizzie"],
    "gregory": ["Greg"], "james": ["Jim", "Jimmy", "Jamie"], "jennifer": ["Jen", "Jenny"], "jessica": ["Jess"],
    "jonathan": ["Jon", "Jonny"], "joseph": ["Joe", "Joey"], "joshua": ["Josh"], "kimberly": ["Kim"],
    "margaret": ["Maggie", "Peggy", "Meg"], "matthew": ["Matt", "Matty"], "michael": ["Mike", "Mikey", "Mick"],
    "nicholas": ["Nick", "Nicky"], "patricia": ["Patty", "Trish"], "patrick": ["Paddy", "Pat"],
    "rebecca": ["Becky", "Becca"], "richard": ["Rich", "Rick", "Dick"], "robert": ["Rob", "Bob", "Bobby"],
    "samantha": ["Sam", "Sammy"], "samuel": ["Sam", "Sammy"], "stephen": ["Steve"], "steven": ["Steve"],
    "susan": ["Sue", "Suzy"], "thomas": ["Tom", "Tommy"], "timothy": ["Tim", "Timmy"],
    "victoria": ["Vicky", "Tori"], "william": ["Will", "Bill", "Billy"], "zachary": ["Zach"],
    "francesca": ["Fran", "Frankie"], "giuseppe": ["Beppe", "Peppe"], "francisco": ["Paco", "Pancho"],
    "jose": ["Pepe"], "alejandro": ["Alejo"], "guillermo": ["Memo"], "johannes": ["Hannes"],
    "katarzyna": ["Kasia"], "malgorzata": ["Gosia"], "tomasz": ["Tomek"], "wojciech": ["Wojtek"],
    "aleksander": ["Olek"], "maximilian": ["Max"], "sebastian": ["Seb", "Basti"], "valentina": ["Vale"],
    "gabriel": ["Gabe"], "frederick": ["Fred", "Freddie"], "isabella": ["Bella", "Izzy"], "olivia": ["Liv"],
    "charlotte": ["Lottie", "Charlie"], "abigail": ["Abby"], "nathaniel": ["Nate", "Nat"],
    "benedikt": ["Bene"], "dominik": ["Dom"], "theodore": ["Theo", "Teddy"], "eleanor": ["Ellie", "Nell"],
}  # fmt: skip

# URLs: top-level domains, path words and query keys.
TLDS = [".com", ".com", ".com", ".org", ".net", ".io", ".co.uk", ".de", ".fr", ".eu", ".info", ".app", ".dev",
        ".nl", ".it", ".es", ".ch", ".co", ".biz", ".org.uk", ".com.au", ".ca"]  # fmt: skip
URL_PATHS = [
    "login", "account", "docs", "download", "events", "news", "shop", "cart", "invoice", "support", "help",
    "blog", "profile", "settings", "reset-password", "files", "share", "tickets", "register", "about",
    "contact", "api/v2", "reports", "gallery", "careers", "wiki", "track", "billing", "members", "s",
]  # fmt: skip
URL_QUERY_KEYS = ["id", "ref", "token", "utm_source", "page", "q", "session", "lang", "order", "user", "invite"]
SUBDOMAINS = ["www.", "www.", "", "", "portal.", "mail.", "shop.", "app.", "my.", "docs.", "secure.", "files."]

# Medical records.
COMPLAINTS = [
    "chest pain radiating to the left arm", "shortness of breath on exertion", "a three-day history of fever",
    "abdominal pain and vomiting", "a fall at home with a painful right hip", "worsening headaches",
    "a productive cough and fatigue", "palpitations and dizziness", "a painful swollen knee",
    "lower back pain after lifting", "confusion noticed by family", "a rash on both forearms",
]  # fmt: skip
DIAGNOSES = [
    "Community-acquired pneumonia", "Acute exacerbation of COPD", "Type 2 diabetes mellitus",
    "Essential hypertension", "Atrial fibrillation", "Urinary tract infection", "Iron deficiency anaemia",
    "Migraine without aura", "Osteoarthritis of the knee", "Cellulitis of the lower leg", "Asthma, moderate",
    "Hypothyroidism", "Gastro-oesophageal reflux disease", "Acute kidney injury", "Chronic heart failure",
]  # fmt: skip
MEDICATIONS = [
    ("Amoxicillin", "500 mg", "oral", "three times daily"), ("Metformin", "1000 mg", "oral", "twice daily"),
    ("Lisinopril", "10 mg", "oral", "once daily"), ("Atorvastatin", "20 mg", "oral", "at night"),
    ("Salbutamol", "100 mcg", "inhaled", "as needed"), ("Paracetamol", "1 g", "oral", "every six hours"),
    ("Apixaban", "5 mg", "oral", "twice daily"), ("Omeprazole", "20 mg", "oral", "once daily"),
    ("Levothyroxine", "75 mcg", "oral", "every morning"), ("Furosemide", "40 mg", "oral", "once daily"),
    ("Ibuprofen", "400 mg", "oral", "with food"), ("Prednisolone", "30 mg", "oral", "once daily"),
    ("Ceftriaxone", "2 g", "IV", "once daily"), ("Insulin glargine", "18 units", "subcut", "at bedtime"),
]  # fmt: skip
LAB_TESTS = [  # name, unit, low, high, decimals
    ("Haemoglobin", "g/dL", 12.0, 17.5, 1), ("White cell count", "10^9/L", 4.0, 11.0, 1),
    ("Platelets", "10^9/L", 150, 400, 0), ("Sodium", "mmol/L", 135, 145, 0), ("Potassium", "mmol/L", 3.5, 5.1, 1),
    ("Creatinine", "umol/L", 60, 110, 0), ("Urea", "mmol/L", 2.5, 7.8, 1), ("Glucose (fasting)", "mmol/L", 3.9, 5.6, 1),
    ("HbA1c", "%", 4.0, 5.6, 1), ("CRP", "mg/L", 0, 5, 0), ("ALT", "U/L", 7, 56, 0), ("TSH", "mIU/L", 0.4, 4.0, 2),
    ("Total cholesterol", "mmol/L", 3.0, 5.0, 1), ("Ferritin", "ug/L", 30, 400, 0), ("eGFR", "mL/min", 90, 120, 0),
]  # fmt: skip
MEDICAL_NOTES = [
    "Observations remained stable throughout the admission.",
    "The patient was mobilised with physiotherapy support.",
    "Blood cultures showed no growth after forty-eight hours.",
    "A chest radiograph showed consolidation in the right lower lobe.",
    "Pain was well controlled with regular oral analgesia.",
    "Renal function returned to baseline before discharge.",
    "No allergies to medication are known.",
    "The patient was advised to avoid driving until reviewed.",
    "Follow-up bloods should be taken by the practice nurse in two weeks.",
    "An echocardiogram has been requested as an outpatient.",
    "Diet and exercise advice was given and a leaflet provided.",
    "The wound was clean and dry at the time of discharge.",
]
HOSPITAL_WORDS = (
    ["St. Mary's", "Riverside", "Northgate", "Valley", "Lakeside", "Central", "Memorial", "Royal", "Hillcrest",
     "Mercy", "Westfield", "University"],
    ["Hospital", "Medical Center", "Clinic", "Health Centre", "Infirmary", "Family Practice", "Medical Group"],
)  # fmt: skip
INSURERS = ["Blue Shield", "Aetna", "UnitedHealthcare", "Cigna", "Humana", "Kaiser Permanente", "Bupa", "AXA Health",
            "Medicare", "Vitality"]  # fmt: skip

# HR records.
DEPARTMENTS = ["Finance", "Human Resources", "Engineering", "Sales", "Marketing", "Customer Support", "Operations",
               "Legal", "Procurement", "Logistics", "Research", "Facilities", "IT Services",
               "Quality Assurance"]  # fmt: skip
EARNINGS = ["Basic salary", "Overtime", "Bonus", "Shift allowance", "Holiday pay", "Commission", "Car allowance"]
DEDUCTIONS = ["Federal income tax", "State income tax", "Social Security", "Medicare", "401(k)", "Health insurance",
              "Income tax", "National Insurance", "Pension", "Union dues", "Dental plan"]  # fmt: skip
RELATIONSHIPS = ["Spouse", "Partner", "Mother", "Father", "Sister", "Brother", "Friend", "Daughter", "Son", "Aunt"]
BANKS = ["First National Bank", "Chase", "Wells Fargo", "Barclays", "HSBC", "Deutsche Bank", "ING", "Santander",
         "Citibank", "BNP Paribas", "Rabobank", "Lloyds Bank", "Credit Union"]  # fmt: skip
HR_NOTES = [
    "Probation completed successfully; no concerns raised.",
    "Eligible for the company pension scheme after three months.",
    "Laptop and access badge issued on the first day.",
    "Annual leave entitlement is twenty-five days plus public holidays.",
    "Remote work agreement approved for two days per week.",
    "Mandatory safety training to be completed within the first month.",
    "Salary reviewed annually in line with company policy.",
    "Right-to-work documents checked and copies filed.",
]
