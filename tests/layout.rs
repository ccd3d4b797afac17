//! Layout regression table: how printed lines become the canonical text.
//! Each row is a family of scans and what its canonical text must (and must
//! not) contain; rows come from real scans that showed a bug, reduced.

use reprint::{Document, Reconciler};

struct Row {
    name: &'static str,
    scans: &'static [&'static str],
    contains: &'static [&'static str],
    lacks: &'static [&'static str],
}

const ROWS: &[Row] = &[
    Row {
        // UNLV bus.3B: lines of a letter glued without their space.
        name: "a line break inside a paragraph is a space in Latin script",
        scans: &[
            "Dear Homeowner:\n\nNotice is hereby given that the annual meeting of the Mesa Village\nHomeowners Association will be held at the community center on\nMonday evening. Your presence is requested.\n",
            "Dear Homeowner:\n\nNotice is hereby given that the annual meeting of the Mesa Village\nHomeowners Associatlon will be held at the community center on\nMonday evening. Your presence is requested.\n",
            "Dear Homeowner:\n\nNotice is hereby given that the annual rneeting of the Mesa Village\nHomeowners Association will be held at the community center on\nMonday evening. Your presence is requested.\n",
        ],
        contains: &[
            "Mesa Village Homeowners Association will be held at the community center on Monday evening.",
        ],
        lacks: &["VillageHomeowners", "onMonday"],
    },
    Row {
        name: "a line break inside a paragraph is nothing between Han characters",
        scans: &[
            "暴风雨最猛烈的地方，恰恰是\n“哪吒闹海”、“一飞冲天”的舞台。\n",
            "暴风雨最猛烈的地方，恰恰是\n“晒雨晒海”、“一飞冲天”的舞台。\n",
            "暴风雨最猛烈的地方，恰恰是\n“哪吒闹海”、“一飞冲天”的舞台。\n",
        ],
        contains: &["暴风雨最猛烈的地方，恰恰是“哪吒闹海”、“一飞冲天”的舞台。"],
        lacks: &[" "],
    },
    Row {
        // A letter's line ending "on Monday." was taken for a dated photo
        // caption and dropped from every scan.
        name: "a line every scan prints is text, whatever it looks like",
        scans: &[
            "The annual meeting of the association\nwill be held on Monday.\n\nAll members are asked to attend.\n",
            "The annual meeting of the association\nwi11 be held on Monday.\n\nAll members are asked to attend.\n",
            "The annual rneeting of the association\nwill be held on Monday.\n\nAll members are asked to attend.\n",
        ],
        contains: &["will be held on Monday."],
        lacks: &[],
    },
    Row {
        // UNLV bus.3B: the date heading a letter was removed as furniture.
        name: "a dateline every scan prints heads the letter",
        scans: &[
            "May 27, 1993\n\nDear Liu:\n\nWe are pleased to inform you that you have been selected for a carrel.\n",
            "May 27, 1993\n\nDEAR LIU:\n\nWe are pleased to inform you that you have been selected for a carrel.\n",
            "May 27, 1993\n\nDear Liu:\n\nWe are pleased to lnform you that you have been selected for a carrel.\n",
        ],
        contains: &["May 27, 1993"],
        lacks: &[],
    },
    Row {
        // The simulator's debris: a dateline one scan prints between two
        // paragraphs the others read one after the other is still debris.
        name: "a dateline one scan of three prints is debris",
        scans: &[
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n",
            "The council approved the new budget for the coming year after a long debate.\n\nMonday, March 3, 2025\n\nResidents will be able to comment on the plans at a public hearing in March.\n",
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n",
        ],
        contains: &["debate.\nResidents"],
        lacks: &["2025"],
    },
    Row {
        // UNLV bus.3B 8710_001: a logo one engine read as letters.
        name: "a garbage line one scan of three reads is not printed",
        scans: &[
            "Since I have not heard from you, I am writing to ask: did you receive my dinner invitation?\n",
            "e4 N - -S\ns1 -- d ) - [YA1\nSince I have not heard from you, I am writing to ask: did you receive my dinner invitation?\n",
            "Since I have not heard from you, I am writlng to ask: did you receive my dinner invitation?\n",
        ],
        contains: &["Since I have not heard from you"],
        lacks: &["YA1", "e4"],
    },
    Row {
        // OCR round trip: a caption one scan prints, over two lines of its
        // column, garbled by the engine.
        name: "a caption over two lines one scan of three prints is debris",
        scans: &[
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n",
            "The council approved the new budget for the coming year after a long debate.\n\n~Firefighters. load grain onto lorries\nin Marton Bay on Thursday\n\nResidents will be able to comment on the plans at a public hearing in March.\n",
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n",
        ],
        contains: &["debate.\nResidents"],
        lacks: &["lorries"],
    },
    Row {
        // UNLV bus.3B 8500_001: letters one engine read in a logo above the
        // letter; and a paragraph's last line under a page number stays.
        name: "a stray line above the text one scan of three prints is debris",
        scans: &[
            "Property Management Associates\n3936 Hortensia Street, San Diego, California\n\nDear Homeowner, the annual meeting will be held in the clubhouse this year.\n",
            "Fa\n\nProperty Management Associates\n3936 Hortensia Street, San Diego, California\n\nDear Homeowner, the annual meeting will be held in the clubhouse this year.\n",
            "Property Management Associates\n3936 Hortensia Street, San Diego, California\n\nDear Homeowner, the annual meeting will be held in the clubhouse\n2\nthis year.\n",
        ],
        contains: &["clubhouse this year."],
        lacks: &["Fa\n"],
    },
    Row {
        // UNLV bus.3B 8541_002: a price list written to one formula; every
        // item but the first was removed as a duplicate of another.
        name: "list items written to one formula are each printed",
        scans: &[
            "You will be reimbursed the following amounts:\nSingle Vision lenses - after $25.00 deductible plan pays up to 30.00\nBifocal lenses - after $25.00 deductible plan pays up to 50.00\nTrifocal lenses - after $25.00 deductible plan pays up to 65.00\nLenticular lenses - after $25.00 deductible plan pays up to 125.00\nWe are proud to have been selected.\n",
            "You will be reimbursed the following amounts:\nSingle Vision lenses - after $25.00 deductible plan pays up to 30.00\nBifocal lenses - after $25.00 deductib1e plan pays up to 50.00\nTrifocal lenses - after $25.00 deductible plan pays up to 65.00\nLenticular lenses - after $25.00 deductible plan pays up to 125.00\nWe are proud to have been selected.\n",
            "You will be reimbursed the following amounts:\nSingle Vision lenses - after $25.00 deductible plan pays up to 30.00\nBifocal lenses - after $25.00 deductible plan pays up to 50.00\nTrifocal lenses - after $25.00 deductible plan paye up to 65.00\nLenticular lenses - after $25.00 deductible plan pays up to 125.00\nWe are proud to have been selected.\n",
        ],
        contains: &[
            "Single Vision lenses",
            "Bifocal lenses",
            "Trifocal lenses",
            "Lenticular lenses - after $25.00 deductible plan pays up to 125.00",
        ],
        lacks: &[],
    },
    Row {
        // UNLV bus.3B 8582_001: the letterhead was removed as a duplicate
        // of the letter's last sentence, which names the university.
        name: "a letterhead that the body names again stays",
        scans: &[
            "THE UNIVERSITY OF TEXAS AT AUSTIN\nPOST OFFICE BOX 7608\n\nDear Mr. Rice:\nYour application for the Fall of 1993 has been received and will be evaluated by our office. Thank you for your interest in the University of Texas at Austin.\n",
            "THE UNIVERSITY OF TEXAS a aUSTIN\nPOST OFFICE BOX 7608\n\nDear Mr. Rice:\nYour application for the Fall of 1993 has been received and will be evaluated by our office. Thank you for your interest in the University of Texas at Austin.\n",
            "THE UNIVERSITY OF TEXAS AT AUSTIN\nPOST OFFICE BOX 7608\n\nDear Mr. Rice:\nYour application for the Fall of 1993 has been recelved and will be evaluated by our office. Thank you for your interest in the University of Texas at Austin.\n",
        ],
        contains: &["THE UNIVERSITY OF TEXAS AT AUSTIN\nPOST OFFICE BOX 7608"],
        lacks: &[],
    },
    Row {
        // The simulator's repeats: a paragraph one scan prints twice, where
        // the others print it once, is printed once.
        name: "a paragraph one scan of three prints twice is printed once",
        scans: &[
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n\nThe mayor said the hearing would be held in the town hall.\n",
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n\nThe council approved the new budget for the coming year after a long debate.\n\nThe mayor said the hearing would be held in the town hall.\n",
            "The council approved the new budget for the coming year after a long debate.\n\nResidents will be able to comment on the plans at a public hearing in March.\n\nThe mayor said the hearing would be held in the town hall.\n",
        ],
        contains: &["in March.\nThe mayor"],
        lacks: &[],
    },
    Row {
        // UNLV bus.3B, the OCR round trip: "Home-" / "owners" kept its hyphen.
        name: "a word one scan hyphenates at a line end reads whole",
        scans: &[
            "The annual meeting of the Mesa Village Home-\nowners Association will be held on Monday evening at the community center.\n",
            "The annual meeting of the Mesa Village Homeowners Association\nwill be held on Monday evening at the community center.\n",
            "The annual meeting of the Mesa Village Homeowners Association will be held on\nMonday evening at the community center.\n",
        ],
        contains: &["Mesa Village Homeowners Association will be held"],
        lacks: &["Home-", "Home owners"],
    },
    Row {
        name: "a word every scan splits at a line end reads whole where the family prints it whole",
        scans: &[
            "The Homeowners Association meets once a year. The annual meeting of the Home-\nowners Association will be held on Monday evening.\n",
            "The Homeowners Association meets once a year. The annual meeting of the Home-\nowners Associatlon will be held on Monday evening.\n",
            "The Homeowners Association meets once a year. The annual rneeting of the Home-\nowners Association will be held on Monday evening.\n",
        ],
        contains: &["meeting of the Homeowners Association will be held"],
        lacks: &["Home-"],
    },
    Row {
        name: "a real compound at a line end stays hyphenated",
        scans: &[
            "Copies of the Declaration and the By-\nLaws of the association are enclosed with this notice for every member.\n",
            "Copies of the Declaration and the By-Laws of the association\nare enclosed with this notice for every member.\n",
            "Copies of the Declaration and the By-Laws of the association are\nenclosed with this notice for every member.\n",
        ],
        contains: &["the By-Laws of the association"],
        lacks: &["ByLaws"],
    },
    Row {
        // UNLV bus.3B 8711_001: a signature one engine read as letters that
        // look like words.
        name: "a signature one scan of three reads as strange words is not printed",
        scans: &[
            "I hope to hear from you within the next two weeks.\n\nSincerely yours,\nMaria Granata\nDirector, Membership\n",
            "I hope to hear from you within the next two weeks.\n\nSincerely yours,\nea gu Ne gut Nagy Nee ed\nMaria Granata\nDirector, Membership\n",
            "I hope to hear from you within the next two weeks.\n\nSincerely yours,\nMaria Granata\nDirector, Mernbership\n",
        ],
        contains: &["Maria Granata"],
        lacks: &["Nagy"],
    },
    Row {
        // Simulator, hard profile: a page break cut a paragraph, and a cut-off
        // copy of the paragraph before it was printed in between. It was
        // joined to the first half as its continuation.
        name: "a copy of another paragraph printed inside a paragraph cut by a break is a repeat",
        scans: &[
            "The council approved the new budget for the coming year after a long debate in the town hall, and the members thanked the staff who had prepared the figures over many weeks.\n\nResidents will be able to comment on the plans for the harbour at a public hearing\n\nThe council approved the new budget for the coming year after a long debate in the town hall, and the members thanked the staff who\n\nin March, the mayor said, and the works would begin as soon as the weather allowed.\n",
            "The council approved the new budget for the coming year after a long debate in the town hall, and the members thanked the staff who had prepared the figures over many weeks.\n\nResidents will be able to comment on the plans for the harbour at a public hearing in March, the mayor said, and the works would begin as soon as the weather allowed.\n",
            "The council approved the new budget for the coming year after a long debate in the town hall, and the members thanked the staff who had prepared the figures over many weeks.\n\nResidents will be able to comment on the plans for the harbour at a public hearing in March, the mayor said, and the works would begin as soon as the weather a1lowed.\n",
        ],
        contains: &["at a public hearing in March, the mayor said"],
        lacks: &["hearing The council", "staff who in March"],
    },
    Row {
        // Simulator, hard profile: two scans' garbage lines at one place
        // share a few letters by chance, which counted as the other scan
        // reading the line.
        name: "garbage two scans print at one place is garbage in both",
        scans: &[
            "保地稻科港类数产该里持化示他。一农数产老路人卫颗住现，行了扩国起预。\nr7f4xyqx\n员料等速无备天城将人约。出新通的大逻象位引个完消，边据多开垃受售约土六大象绩突。\n",
            "保地稻科港类数产该里持化示他。一农数产老路人卫颗住现，行了扩国起预。\nnbhyqhc4x\n员料等速无备天城将人约。出新通的大逻象位引个完消，边据多开垃受售约土六大象绩突。\n",
            "保地稻科港类数产该里持化示他。一农数产老路人卫颗住现，行了扩国起预。\n员料等速无备天城将人约。出新通的大逻象位引个完消，边据多开垃受售约土六大象绩突。\n",
        ],
        contains: &["行了扩国起预。\n员料等速"],
        lacks: &["xyq", "nbh"],
    },
    Row {
        // UNLV bus.3B 8582_001: the letterhead and the signature, each the
        // opening words of a paragraph of the letter, were removed from
        // every engine's reading as fragments of that paragraph.
        name: "a heading naming what a paragraph opens with stays where every scan prints it",
        scans: &[
            "GRADUATE ADMISSIONS CENTER\n\nDear Applicant:\n\nThe Graduate Admissions Center has received your application for the fall semester and will write to you again within four weeks.\n",
            "GRADUATE ADMISSIONS CENTER\n\nDear Applicant:\n\nThe Graduate Admissions Center has received your applicatlon for the fall semester and will write to you again within four weeks.\n",
            "GRADUATE ADMISSlONS CENTER\n\nDear Applicant:\n\nThe Graduate Admissions Center has received your application for the fall semester and wi11 write to you again within four weeks.\n",
        ],
        contains: &["GRADUATE ADMISSIONS CENTER\nDear Applicant:"],
        lacks: &[],
    },
];

#[test]
fn layout_table() {
    let mut failures = Vec::new();
    for row in ROWS {
        let docs: Vec<Document> = row
            .scans
            .iter()
            .enumerate()
            .map(|(i, s)| Document::from_text(format!("s{i}"), *s))
            .collect();
        let result = Reconciler::new().reconcile(&docs).expect("reconciles");
        assert_eq!(result.families.len(), 1, "{}", row.name);
        let text = &result.families[0].text;
        for want in row.contains {
            if !text.contains(want) {
                failures.push(format!("{}: lacks {want:?} in {text:?}", row.name));
            }
        }
        for bad in row.lacks {
            if text.contains(bad) {
                failures.push(format!("{}: holds {bad:?} in {text:?}", row.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each scan moves a different section: whichever scan the collation
/// follows first, every section goes where most scans print it.
#[test]
fn sections_stand_in_the_order_most_scans_print() {
    let p = [
        "The council approved the new budget for the coming year after a long debate.",
        "Residents will be able to comment on the plans at a public hearing in March.",
        "The mayor said the road repairs would begin as soon as the weather allowed.",
        "A new library branch is planned for the north side of the town next spring.",
        "Officials expect the harbour works to be finished before the summer season.",
    ];
    let scan =
        |order: [usize; 5]| -> String { order.iter().map(|&i| format!("{}\n\n", p[i])).collect() };
    let docs = [
        Document::from_text("a", scan([1, 0, 2, 3, 4])),
        Document::from_text("b", scan([0, 1, 3, 2, 4])),
        Document::from_text("c", scan([0, 1, 2, 4, 3])),
    ];
    let result = Reconciler::new().reconcile(&docs).unwrap();
    assert_eq!(result.families.len(), 1);
    let text = &result.families[0].text;
    let expected: Vec<&str> = p.to_vec();
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(got, expected);
}

/// Two different letters on one letterhead, each read by three engines:
/// the letterhead and address block they share do not make them one family,
/// and the shared block is reported as an overlap.
#[test]
fn a_shared_letterhead_does_not_merge_two_letters() {
    let head = "UNIVERSITY OF NEVADA, LAS VEGAS\nLIBRARY\n4505 MARYLAND PARKWAY, LAS VEGAS, NEVADA 89154\n\n";
    let one = "We are pleased to inform you that you have been selected for a carrel assignment for the fall semester. Please come to the circulation desk to pick up your key.\n";
    let two = "Thank you for your letter about the interlibrary loan service. The books you asked for have arrived and are waiting for you at the reference desk until Friday.\n";
    let mut docs = Vec::new();
    for (name, body) in [("one", one), ("two", two)] {
        for engine in ["abbyy", "tesseract", "ocropy"] {
            let text = format!("{head}{body}");
            let text = if engine == "ocropy" {
                text.replace("e", "c")
            } else {
                text
            };
            docs.push(Document::from_text(format!("{name}.{engine}"), text));
        }
    }
    let result = Reconciler::new().reconcile(&docs).unwrap();
    let families: Vec<Vec<String>> = result
        .families
        .iter()
        .map(|f| f.documents.clone())
        .collect();
    assert_eq!(
        families,
        [
            ["one.abbyy", "one.ocropy", "one.tesseract"],
            ["two.abbyy", "two.ocropy", "two.tesseract"]
        ]
    );
    assert!(result.families.iter().all(|f| !f.overlaps.is_empty()));
}

/// A notice to readers one scan of each of three texts prints is the
/// paper's, not any text's: removed as furniture. A letterhead every scan
/// of every text prints stays in each.
#[test]
fn a_notice_printed_across_texts_is_furniture() {
    let head = "PORT AUTHORITY OF THE HARBOUR DISTRICT";
    let notice = "The Harbour Gazette welcomes letters from its readers. Please give your full name and address with every letter; letters may be shortened for reasons of space.";
    let texts = [
        [
            "The council approved the new budget for the coming year after a long debate in the town hall, where more than a hundred residents had come to hear the members argue over the cost of the new school.",
            "Residents will be able to comment on the plans at a public hearing in March, and the clerk said that written comments would be read into the record if they arrived before the end of February.",
            "The budget raises the rate on property by two per cent, the first rise in four years, and sets aside money for the repair of the bridge over the river, which has been closed to lorries since the autumn floods.",
        ],
        [
            "The mayor said the road repairs would begin as soon as the weather allowed, weeks later than planned, because the contractor had been unable to find enough workers during the winter months.",
            "A new library branch is planned for the north side of the town next spring, in the old post office building, which the council bought last year for less than half of what a new building would have cost.",
            "Opening hours at the main library will be shortened while staff move books to the new branch, and the reading room will close on Saturday afternoons until the move is finished in the summer.",
        ],
        [
            "Officials expect the harbour works to be finished before the summer season, when the ferries return, although the engineers warned that a storm like last year's could set the work back by a month.",
            "The works have cost twice what the port authority first said they would, mostly because the old sea wall was in worse condition than the surveys had shown when the contract was signed.",
            "Fishermen who moor in the inner basin have been asked to move their boats to the new pontoons by the end of April so that dredging can begin, and the authority has promised to waive their fees until June.",
        ],
    ];
    let mut docs = Vec::new();
    for (t, paragraphs) in texts.iter().enumerate() {
        for s in 0..3 {
            let mut parts = vec![head];
            parts.extend(paragraphs);
            if s == 0 {
                parts.insert(3, notice);
            }
            docs.push(Document::from_text(format!("t{t}s{s}"), parts.join("\n\n")));
        }
    }
    let result = Reconciler::new().reconcile(&docs).unwrap();
    assert_eq!(result.families.len(), 3);
    for f in &result.families {
        assert!(!f.text.contains("welcomes letters"), "{}", f.text);
        assert!(f.text.starts_with(head), "{}", f.text);
        assert!(f.removed.iter().any(
            |r| r.document.ends_with("s0") && r.reason.is_some_and(|k| k.name() == "furniture")
        ));
    }
}
