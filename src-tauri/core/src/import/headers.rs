//! Reading a column's header as people write it: split into words (spaces, punctuation,
//! camelCase, German compounds), each word reduced to the idea it names in English or in
//! another common language (`Nº`, `#` and `No.` are "number", `S/N` is "serial number",
//! `Kaufdatum` is "purchase date"), and the field decided from those ideas, with how sure the
//! rule is. The rule is a small grammar over ideas, not a list of whole headers.

use super::mapping::Field;

/// The ideas a header's words can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Idea {
    Tag,
    Asset,
    Number,
    Id,
    Name,
    Description,
    Device,
    Category,
    Kind,
    Make,
    Model,
    Serial,
    Service,
    Purchase,
    Date,
    Cost,
    Currency,
    Value,
    Supplier,
    Warranty,
    End,
    Start,
    Note,
    Status,
    State,
    Person,
    Assigned,
    Full,
    Display,
    Email,
    Location,
    Building,
    Room,
    Department,
    /// Words that make a header about something other than the asset's purchase or holder:
    /// sale, depreciation, book value, last seen, lease, OS…
    Other,
}

use Idea::*;

/// Words (lower case, accents removed) and the idea each names. Several languages' common
/// words: English, German, French, Spanish, Italian, Dutch, Polish.
const WORDS: &[(&str, Idea)] = &[
    ("tag", Tag),
    ("tags", Tag),
    ("label", Tag),
    ("etiqueta", Tag),
    ("etikett", Tag),
    ("etiquette", Tag),
    ("barcode", Tag),
    ("asset", Asset),
    ("assets", Asset),
    ("inventory", Asset),
    ("inventar", Asset),
    ("inventaire", Asset),
    ("inventario", Asset),
    ("inwentarz", Asset),
    ("inwentarzowy", Asset),
    ("property", Asset),
    ("equipment", Asset),
    ("anlage", Asset),
    ("number", Number),
    ("numbers", Number),
    ("no", Number),
    ("nr", Number),
    ("num", Number),
    ("nummer", Number),
    ("numero", Number),
    ("numer", Number),
    ("code", Number),
    ("ref", Number),
    ("reference", Number),
    ("id", Id),
    ("identifier", Id),
    ("name", Name),
    ("names", Name),
    ("nom", Name),
    ("nombre", Name),
    ("nome", Name),
    ("naam", Name),
    ("nazwa", Name),
    ("bezeichnung", Name),
    ("title", Name),
    ("description", Description),
    ("desc", Description),
    ("descr", Description),
    ("beschreibung", Description),
    ("descripcion", Description),
    ("descrizione", Description),
    ("opis", Description),
    ("item", Description),
    ("items", Description),
    ("article", Description),
    ("artikel", Description),
    ("device", Device),
    ("devices", Device),
    ("computer", Device),
    ("machine", Device),
    ("hardware", Device),
    ("geraet", Device),
    ("gerat", Device),
    ("appareil", Device),
    ("dispositivo", Device),
    ("category", Category),
    ("categories", Category),
    ("categorie", Category),
    ("categoria", Category),
    ("kategorie", Category),
    ("kategoria", Category),
    ("type", Kind),
    ("typ", Kind),
    ("tipo", Kind),
    ("kind", Kind),
    ("class", Kind),
    ("klasse", Kind),
    ("make", Make),
    ("manufacturer", Make),
    ("mfr", Make),
    ("mfg", Make),
    ("manuf", Make),
    ("brand", Make),
    ("hersteller", Make),
    ("fabricant", Make),
    ("marque", Make),
    ("marca", Make),
    ("fabricante", Make),
    ("producent", Make),
    ("producer", Make),
    ("model", Model),
    ("modell", Model),
    ("modele", Model),
    ("modelo", Model),
    ("modello", Model),
    ("serial", Serial),
    ("serie", Serial),
    ("serien", Serial),
    ("seryjny", Serial),
    ("sn", Serial),
    ("service", Service),
    ("purchase", Purchase),
    ("purchased", Purchase),
    ("purch", Purchase),
    ("bought", Purchase),
    ("buy", Purchase),
    ("acquired", Purchase),
    ("acquisition", Purchase),
    ("kauf", Purchase),
    ("anschaffung", Purchase),
    ("achat", Purchase),
    ("compra", Purchase),
    ("acquisto", Purchase),
    ("zakup", Purchase),
    ("zakupu", Purchase),
    ("aankoop", Purchase),
    ("po", Purchase),
    ("order", Purchase),
    ("date", Date),
    ("dated", Date),
    ("datum", Date),
    ("fecha", Date),
    ("data", Date),
    ("day", Date),
    ("on", Date),
    ("cost", Cost),
    ("costs", Cost),
    ("price", Cost),
    ("kosten", Cost),
    ("preis", Cost),
    ("prix", Cost),
    ("cout", Cost),
    ("precio", Cost),
    ("coste", Cost),
    ("prezzo", Cost),
    ("koszt", Cost),
    ("cena", Cost),
    ("prijs", Cost),
    ("gbp", Currency),
    ("usd", Currency),
    ("eur", Currency),
    ("value", Value),
    ("amount", Value),
    ("amt", Value),
    ("wert", Value),
    ("betrag", Value),
    ("valeur", Value),
    ("montant", Value),
    ("valor", Value),
    ("importe", Value),
    ("supplier", Supplier),
    ("suppliers", Supplier),
    ("vendor", Supplier),
    ("seller", Supplier),
    ("payee", Supplier),
    ("lieferant", Supplier),
    ("fournisseur", Supplier),
    ("proveedor", Supplier),
    ("fornitore", Supplier),
    ("dostawca", Supplier),
    ("leverancier", Supplier),
    ("warranty", Warranty),
    ("guarantee", Warranty),
    ("garantie", Warranty),
    ("garantia", Warranty),
    ("garanzia", Warranty),
    ("gwarancja", Warranty),
    ("gwarancji", Warranty),
    ("expires", End),
    ("expire", End),
    ("expiry", End),
    ("expiration", End),
    ("expiring", End),
    ("exp", End),
    ("end", End),
    ("ends", End),
    ("ende", End),
    ("until", End),
    ("till", End),
    ("to", End),
    ("bis", End),
    ("fin", End),
    ("hasta", End),
    ("scadenza", End),
    ("start", Start),
    ("begin", Start),
    ("from", Start),
    ("note", Note),
    ("notes", Note),
    ("comment", Note),
    ("comments", Note),
    ("remark", Note),
    ("remarks", Note),
    ("memo", Note),
    ("bemerkung", Note),
    ("bemerkungen", Note),
    ("notiz", Note),
    ("remarque", Note),
    ("remarques", Note),
    ("nota", Note),
    ("notas", Note),
    ("uwagi", Note),
    ("opmerking", Note),
    ("status", Status),
    ("statut", Status),
    ("estado", Status),
    ("stato", Status),
    ("zustand", Status),
    ("lifecycle", Status),
    ("state", State),
    ("condition", State),
    ("user", Person),
    ("users", Person),
    ("username", Person),
    ("employee", Person),
    ("staff", Person),
    ("owner", Person),
    ("holder", Person),
    ("assignee", Person),
    ("custodian", Person),
    ("person", Person),
    ("keeper", Person),
    ("benutzer", Person),
    ("mitarbeiter", Person),
    ("nutzer", Person),
    ("utilisateur", Person),
    ("usuario", Person),
    ("utente", Person),
    ("uzytkownik", Person),
    ("gebruiker", Person),
    ("assigned", Assigned),
    ("checked", Assigned),
    ("issued", Assigned),
    ("held", Assigned),
    ("allocated", Assigned),
    ("full", Full),
    ("display", Display),
    ("email", Email),
    ("mail", Email),
    ("upn", Email),
    ("location", Location),
    ("locations", Location),
    ("loc", Location),
    ("site", Location),
    ("office", Location),
    ("branch", Location),
    ("standort", Location),
    ("emplacement", Location),
    ("ubicacion", Location),
    ("lokalizacja", Location),
    ("lieu", Location),
    ("ort", Location),
    ("building", Building),
    ("gebaeude", Building),
    ("room", Room),
    ("raum", Room),
    ("department", Department),
    ("dept", Department),
    ("abteilung", Department),
    ("sale", Other),
    ("sales", Other),
    ("sold", Other),
    ("disposal", Other),
    ("disposed", Other),
    ("depreciation", Other),
    ("depreciated", Other),
    ("accumulated", Other),
    ("book", Other),
    ("residual", Other),
    ("life", Other),
    ("last", Other),
    ("first", Other),
    ("seen", Other),
    ("sync", Other),
    ("lease", Other),
    ("enrollment", Other),
    ("enrolled", Other),
    ("os", Other),
    ("version", Other),
    ("ip", Other),
    ("mac", Other),
    ("imei", Other),
    ("storage", Other),
    ("phone", Other),
    ("company", Other),
    ("tax", Other),
    ("rate", Other),
    ("account", Other),
    ("quantity", Other),
    ("qty", Other),
    ("created", Other),
    ("updated", Other),
    ("modified", Other),
    ("checkin", Other),
    ("compliance", Other),
    ("domain", Other),
];

/// Words that carry no idea of their own: articles and prepositions ("Date of purchase",
/// "Checked out to", "Numéro de série") and qualifiers ("Primary user").
const STOP: &[&str] = &[
    "of", "the", "a", "an", "de", "d", "du", "des", "del", "la", "le", "el", "l", "von", "der",
    "die", "das", "dem", "den", "for", "and", "y", "et", "und", "van", "het", "out", "by", "at",
    "in", "per", "di", "da", "do", "dla", "en", "primary", "main", "current", "actual", "current",
];

fn idea_of(word: &str) -> Option<Idea> {
    WORDS.iter().find(|(w, _)| *w == word).map(|(_, i)| *i)
}

/// Lower case without accents: "Numéro" → "numero", "Łódź" → "lodz", "Gebäude" → "gebaeude".
fn fold(c: char) -> String {
    let lower: String = c.to_lowercase().collect();
    match lower.as_str() {
        "ä" => "ae".into(),
        "ö" => "oe".into(),
        "ü" => "ue".into(),
        "ß" => "ss".into(),
        "à" | "á" | "â" | "ã" | "å" | "ą" => "a".into(),
        "ç" | "ć" | "č" => "c".into(),
        "è" | "é" | "ê" | "ë" | "ę" | "ě" => "e".into(),
        "ì" | "í" | "î" | "ï" => "i".into(),
        "ł" => "l".into(),
        "ñ" | "ń" | "ň" => "n".into(),
        "ò" | "ó" | "ô" | "õ" | "ø" => "o".into(),
        "ś" | "š" => "s".into(),
        "ù" | "ú" | "û" | "ů" => "u".into(),
        "ý" | "ÿ" => "y".into(),
        "ź" | "ż" | "ž" => "z".into(),
        "ř" => "r".into(),
        _ => lower,
    }
}

/// The header's words: split at anything but letters and digits and at camelCase humps;
/// `#`, `№`, `Nº`/`N°` become "number", a currency sign "gbp"/"usd"/"eur", `S/N` "serial
/// number". Accents are folded away.
pub(super) fn words(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    let chars: Vec<char> = header.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '#' | '№' => {
                flush(&mut cur, &mut out);
                out.push("number".into());
            }
            'º' | '°' if cur == "n" => {
                cur.clear();
                out.push("number".into());
            }
            '£' => {
                flush(&mut cur, &mut out);
                out.push("gbp".into());
            }
            '$' => {
                flush(&mut cur, &mut out);
                out.push("usd".into());
            }
            '€' => {
                flush(&mut cur, &mut out);
                out.push("eur".into());
            }
            c if c.is_alphanumeric() => {
                // "PurchaseDate", "serialNumber": a capital after a lower-case letter starts a word;
                // "IPAddress": a capital followed by lower case after capitals does too.
                let hump = c.is_uppercase()
                    && prev.is_some_and(|p| {
                        p.is_lowercase()
                            || (p.is_uppercase()
                                && chars.get(i + 1).is_some_and(|n| n.is_lowercase()))
                    });
                let digit_edge = prev.is_some_and(|p| p.is_ascii_digit() != c.is_ascii_digit());
                if hump || digit_edge {
                    flush(&mut cur, &mut out);
                }
                cur.push_str(&fold(c));
            }
            _ => flush(&mut cur, &mut out),
        }
        prev = Some(c);
    }
    flush(&mut cur, &mut out);
    // "S/N", "S N": serial number.
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        if out[i] == "s" && out.get(i + 1).is_some_and(|n| n == "n") {
            joined.push("serial".into());
            joined.push("number".into());
            i += 2;
        } else {
            joined.push(out[i].clone());
            i += 1;
        }
    }
    joined
}

/// A word's ideas: the word itself, or a compound of two known words ("seriennummer",
/// "kaufdatum", "anschaffungsdatum", "serialnumber"), or a plural.
fn ideas_of_word(w: &str) -> Vec<Idea> {
    if let Some(i) = idea_of(w) {
        return vec![i];
    }
    let len = w.len();
    if len >= 6 && w.is_ascii() {
        for split in 3..len - 1 {
            let (a, b) = w.split_at(split);
            let a_idea = idea_of(a).or_else(|| a.strip_suffix('s').and_then(idea_of));
            if let (Some(x), Some(y)) = (a_idea, idea_of(b)) {
                return vec![x, y];
            }
        }
    }
    if let Some(stem) = w.strip_suffix('s').filter(|s| s.len() > 3) {
        if let Some(i) = idea_of(stem) {
            return vec![i];
        }
    }
    Vec::new()
}

/// The ideas a header names, in order, and whether every word was understood.
pub(super) fn ideas(header: &str) -> (Vec<Idea>, bool) {
    let mut all = Vec::new();
    let mut understood = true;
    for w in words(header) {
        if STOP.contains(&w.as_str()) {
            continue;
        }
        let found = ideas_of_word(&w);
        if found.is_empty() {
            // Digits and one-letter leftovers ("Bar Code 1", "Address 2") say nothing.
            if !(w.chars().all(|c| c.is_ascii_digit()) || w.len() == 1) {
                understood = false;
            }
        }
        all.extend(found);
    }
    (all, understood)
}

/// The field a header names and how sure the rule is (0–100), or `None`.
pub(super) fn field_for(header: &str) -> Option<(Field, u8)> {
    let (ideas, understood) = ideas(header);
    // "PO Date", "Order date": when it was ordered, not bought.
    let ordered = words(header).iter().any(|w| w == "po" || w == "order");
    let has = |i: Idea| ideas.contains(&i);
    let only = |set: &[Idea]| !ideas.is_empty() && ideas.iter().all(|i| set.contains(i));
    if ideas.is_empty() || has(Other) {
        return None;
    }
    // Words left over that we do not know make any match less sure.
    let sure = |score: u8| {
        if understood {
            score
        } else {
            score.saturating_sub(25)
        }
    };
    let person_words = has(Person) || has(Assigned) || (has(Full) && has(Name));
    let (field, score) = if has(Serial) || (has(Service) && has(Tag)) {
        (Field::SerialNumber, 95)
    } else if has(Tag) && !person_words {
        (Field::AssetTag, 95)
    } else if has(Asset) && (has(Number) || has(Id)) && !has(Name) {
        (Field::AssetTag, 90)
    } else if has(Warranty) {
        if has(End) || has(Date) {
            (Field::WarrantyExpires, 95)
        } else if has(Start) {
            return None;
        } else {
            // "Warranty" alone may be months (Snipe-IT's is).
            (Field::WarrantyExpires, 55)
        }
    } else if has(Purchase) && (has(Cost) || has(Value) || has(Currency)) {
        (Field::PurchaseCost, 95)
    } else if has(Purchase) && has(Supplier) {
        (Field::Supplier, 90)
    } else if has(Purchase) && has(Date) {
        (Field::PurchaseDate, if ordered { 70 } else { 95 })
    } else if has(Purchase) && only(&[Purchase, Asset, Device]) {
        // "Bought", "Purchased", "Acquired".
        if ordered {
            return None;
        }
        (Field::PurchaseDate, 85)
    } else if has(Cost) {
        (Field::PurchaseCost, 90)
    } else if (has(Value) || has(Currency)) && only(&[Value, Currency, Asset]) {
        (Field::PurchaseCost, 60)
    } else if has(Supplier) {
        (Field::Supplier, 95)
    } else if has(Make) {
        (Field::Make, 95)
    } else if has(Model) {
        if has(Number) || has(Id) {
            (Field::Model, 55)
        } else {
            (Field::Model, 95)
        }
    } else if person_words {
        // Several columns may name the holder: a display name beats a user name beats an e-mail.
        let score = if has(Id) {
            // "UserId": an identifier, not who holds it.
            40
        } else if has(Assigned) || has(Display) || (has(Full) && has(Name)) {
            92
        } else if has(Email) {
            60
        } else {
            85
        };
        (Field::AssignedTo, score)
    } else if has(Location) {
        (Field::Location, 95)
    } else if has(Building) {
        (Field::Location, 75)
    } else if has(Room) {
        (Field::Location, 60)
    } else if has(Category) {
        (Field::Category, 95)
    } else if has(Kind) && only(&[Kind, Asset, Device, Description]) {
        (Field::Category, 85)
    } else if has(Name) && !has(Email) {
        (Field::Name, if has(Display) { 80 } else { 92 })
    } else if has(Description) && only(&[Description, Asset, Device]) {
        (Field::Name, 70)
    } else if has(Device) && only(&[Device]) {
        (Field::Name, 60)
    } else if has(Note) {
        (Field::Notes, 95)
    } else if has(Status) {
        (Field::Status, 95)
    } else if has(State) && only(&[State]) {
        (Field::Status, 60)
    } else if has(Date) && only(&[Date]) {
        (Field::PurchaseDate, 40)
    } else {
        return None;
    };
    Some((field, sure(score)))
}

#[cfg(test)]
mod tests {
    use super::{field_for, words};
    use crate::import::Field;
    use Field::*;

    fn f(h: &str) -> Option<Field> {
        field_for(h).map(|(f, _)| f)
    }

    #[test]
    fn words_split_as_people_write_headers() {
        assert_eq!(words("PurchaseDate"), ["purchase", "date"]);
        assert_eq!(words("*AssetNumber"), ["asset", "number"]);
        assert_eq!(words("Serial No."), ["serial", "no"]);
        assert_eq!(words("S/N"), ["serial", "number"]);
        assert_eq!(words("Nº inventario"), ["number", "inventario"]);
        assert_eq!(words("Cost (£)"), ["cost", "gbp"]);
        assert_eq!(words("IPAddress"), ["ip", "address"]);
        assert_eq!(words("Numéro de série"), ["numero", "de", "serie"]);
        assert_eq!(words("Asset#"), ["asset", "number"]);
    }

    #[test]
    fn everyday_headers_name_their_field() {
        for (h, want) in [
            ("Tag", AssetTag),
            ("Asset Tag", AssetTag),
            ("Asset #", AssetTag),
            ("Asset No.", AssetTag),
            ("Inventory number", AssetTag),
            ("Tag Nº", AssetTag),
            ("Kind", Category),
            ("Type", Category),
            ("Device type", Category),
            ("Categories", Category),
            ("Bought", PurchaseDate),
            ("Date of purchase", PurchaseDate),
            ("Purchased on", PurchaseDate),
            ("Warranty to", WarrantyExpires),
            ("Warranty ends", WarrantyExpires),
            ("Guarantee expiry", WarrantyExpires),
            ("Cost (£)", PurchaseCost),
            ("Price", PurchaseCost),
            ("Purchase price (EUR)", PurchaseCost),
            ("S/N", SerialNumber),
            ("Serial #", SerialNumber),
            ("Service Tag", SerialNumber),
            ("Manufacturer", Make),
            ("Brand", Make),
            ("Model name", Model),
            ("Assigned To", AssignedTo),
            ("User", AssignedTo),
            ("Employee", AssignedTo),
            ("Site", Location),
            ("Office", Location),
            ("Comments", Notes),
            ("Status", Status),
            ("Description", Name),
            ("Item", Name),
            ("Vendor", Supplier),
        ] {
            assert_eq!(f(h), Some(want), "{h}");
        }
    }

    #[test]
    fn other_languages_common_words() {
        for (h, want) in [
            ("Seriennummer", SerialNumber),
            ("Inventarnummer", AssetTag),
            ("Kaufdatum", PurchaseDate),
            ("Anschaffungsdatum", PurchaseDate),
            ("Kaufpreis", PurchaseCost),
            ("Hersteller", Make),
            ("Standort", Location),
            ("Benutzer", AssignedTo),
            ("Bezeichnung", Name),
            ("Numéro de série", SerialNumber),
            ("Date d'achat", PurchaseDate),
            ("Fournisseur", Supplier),
            ("Emplacement", Location),
            ("Número de serie", SerialNumber),
            ("Fecha de compra", PurchaseDate),
            ("Ubicación", Location),
            ("Numer seryjny", SerialNumber),
            ("Data zakupu", PurchaseDate),
            ("Nº inventario", AssetTag),
            ("Garantie bis", WarrantyExpires),
        ] {
            assert_eq!(f(h), Some(want), "{h}");
        }
    }

    #[test]
    fn headers_about_something_else_are_left_alone() {
        for h in [
            "Sales Price",
            "Book Value",
            "Accumulated Depreciation",
            "Last seen",
            "OS version",
            "Lease Expiration",
            "Company",
            "Warranty start",
            "Quantity",
            "IP Address",
            "Department",
            "Foo",
            "ID",
        ] {
            assert_eq!(f(h), None, "{h}");
        }
    }

    #[test]
    fn how_sure_it_is() {
        assert!(field_for("Asset Tag").unwrap().1 >= 90);
        assert!(field_for("Warranty").unwrap().1 < 60);
        // Unknown words beside known ones lower the certainty.
        let (_, plain) = field_for("Location").unwrap();
        let (_, odd) = field_for("Location zz9").unwrap();
        assert!(odd < plain);
    }
}
