//! Brazilian people, places, phones and products: the vocabulary of the generated chats.

use crate::rng::Rng;

/// Female first names (IBGE's most common ones plus a few current favourites).
const FIRST_F: &[&str] = &[
    "Maria",
    "Ana",
    "Mariana",
    "Juliana",
    "Fernanda",
    "Patrícia",
    "Aline",
    "Camila",
    "Amanda",
    "Bruna",
    "Jéssica",
    "Letícia",
    "Luana",
    "Vanessa",
    "Gabriela",
    "Beatriz",
    "Larissa",
    "Débora",
    "Renata",
    "Tatiane",
    "Priscila",
    "Simone",
    "Cláudia",
    "Sandra",
    "Adriana",
    "Luciana",
    "Raquel",
    "Carolina",
    "Isabela",
    "Helena",
    "Alice",
    "Valentina",
    "Cecília",
    "Lorena",
    "Francisca",
    "Antônia",
    "Rosângela",
    "Eliane",
    "Sônia",
    "Thaís",
];

/// Male first names.
const FIRST_M: &[&str] = &[
    "José",
    "João",
    "Antônio",
    "Francisco",
    "Carlos",
    "Paulo",
    "Pedro",
    "Lucas",
    "Luiz",
    "Marcos",
    "Luís",
    "Gabriel",
    "Rafael",
    "Daniel",
    "Marcelo",
    "Bruno",
    "Eduardo",
    "Felipe",
    "Rodrigo",
    "Gustavo",
    "Fábio",
    "André",
    "Thiago",
    "Diego",
    "Leandro",
    "Vinícius",
    "Matheus",
    "Henrique",
    "Caio",
    "Igor",
    "Miguel",
    "Arthur",
    "Heitor",
    "Davi",
    "Bernardo",
    "Sérgio",
    "Wellington",
    "Jorge",
    "Raimundo",
    "Otávio",
];

/// Surnames.
const LAST: &[&str] = &[
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Rodrigues",
    "Ferreira",
    "Alves",
    "Pereira",
    "Lima",
    "Gomes",
    "Costa",
    "Ribeiro",
    "Martins",
    "Carvalho",
    "Almeida",
    "Lopes",
    "Soares",
    "Fernandes",
    "Vieira",
    "Barbosa",
    "Rocha",
    "Dias",
    "Nascimento",
    "Andrade",
    "Moreira",
    "Nunes",
    "Marques",
    "Machado",
    "Mendes",
    "Freitas",
    "Cardoso",
    "Ramos",
    "Gonçalves",
    "Santana",
    "Teixeira",
    "Araújo",
    "Moura",
    "Cavalcanti",
    "Pinto",
    "Castro",
];

/// A few emoji people put after a saved contact name.
const NAME_EMOJI: &[&str] = &["🌻", "💜", "🌸", "⚽", "✨", "🙏"];

/// A city a customer lives in: name, state, area code (DDD) and the shop's shipping fee there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct City {
    /// City name.
    pub name: &'static str,
    /// State (UF).
    pub uf: &'static str,
    /// Two-digit area code.
    pub ddd: u8,
    /// Shipping fee in centavos.
    pub frete: u32,
    /// Delivery time in working days (min, max).
    pub days: (u8, u8),
    /// First two digits of the city's CEPs.
    pub cep: u8,
}

const fn city(
    name: &'static str,
    uf: &'static str,
    ddd: u8,
    cep: u8,
    frete: u32,
    days: (u8, u8),
) -> City {
    City {
        name,
        uf,
        ddd,
        frete,
        days,
        cep,
    }
}

/// Cities, weighted towards the South-East like a small São Paulo shop's customers.
pub const CITIES: &[City] = &[
    city("São Paulo", "SP", 11, 4, 1490, (1, 3)),
    city("São Paulo", "SP", 11, 4, 1490, (1, 3)),
    city("São Paulo", "SP", 11, 4, 1490, (1, 3)),
    city("Guarulhos", "SP", 11, 7, 1590, (1, 3)),
    city("Osasco", "SP", 11, 6, 1590, (1, 3)),
    city("Santos", "SP", 13, 11, 1890, (2, 4)),
    city("Campinas", "SP", 19, 13, 1790, (2, 4)),
    city("Ribeirão Preto", "SP", 16, 14, 2190, (2, 5)),
    city("Rio de Janeiro", "RJ", 21, 22, 2290, (2, 5)),
    city("Niterói", "RJ", 21, 24, 2290, (2, 5)),
    city("Belo Horizonte", "MG", 31, 30, 2390, (3, 5)),
    city("Vitória", "ES", 27, 29, 2590, (3, 6)),
    city("Curitiba", "PR", 41, 80, 2190, (2, 5)),
    city("Londrina", "PR", 43, 86, 2390, (3, 6)),
    city("Florianópolis", "SC", 48, 88, 2490, (3, 6)),
    city("Porto Alegre", "RS", 51, 90, 2690, (3, 7)),
    city("Brasília", "DF", 61, 70, 2790, (3, 7)),
    city("Goiânia", "GO", 62, 74, 2790, (3, 7)),
    city("Salvador", "BA", 71, 40, 3190, (4, 8)),
    city("Recife", "PE", 81, 50, 3390, (5, 9)),
    city("Fortaleza", "CE", 85, 60, 3490, (5, 9)),
    city("Natal", "RN", 84, 59, 3490, (5, 9)),
    city("Belém", "PA", 91, 66, 3890, (6, 10)),
    city("Manaus", "AM", 92, 69, 4290, (7, 12)),
];

/// A Brazilian mobile number: +55, area code, 9 digits starting with 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phone {
    /// Two-digit area code.
    pub ddd: u8,
    /// The 9-digit subscriber number (first digit 9, second 6–9).
    pub number: u32,
}

impl Phone {
    /// A random mobile in area `ddd`.
    pub fn random(rng: &mut Rng, ddd: u8) -> Self {
        let second = rng.range(6, 9) as u32;
        let rest = rng.below(10_000_000) as u32;
        Self {
            ddd,
            number: 900_000_000 + second * 10_000_000 + rest,
        }
    }

    /// The 8 digits of the pre-2016 form (the ninth digit dropped).
    fn legacy(&self) -> u32 {
        self.number - 900_000_000
    }

    /// How Android shows an unsaved number: `+55 11 98765-4321`, or the legacy 8-digit
    /// `+55 41 8888-7777` (what an old contact entry keeps showing).
    pub fn android(&self, legacy: bool) -> String {
        if legacy {
            let n = self.legacy();
            format!("+55 {} {:04}-{:04}", self.ddd, n / 10_000, n % 10_000)
        } else {
            format!(
                "+55 {} {:05}-{:04}",
                self.ddd,
                self.number / 10_000,
                self.number % 10_000
            )
        }
    }

    /// How iOS shows an unsaved number: wrapped in LRE…PDF, NBSP between groups and a
    /// non-breaking hyphen (`\u{202a}+55\u{a0}11\u{a0}98765\u{2011}4321\u{202c}`).
    pub fn ios(&self, legacy: bool) -> String {
        let (head, tail) = if legacy {
            let n = self.legacy();
            (format!("{:04}", n / 10_000), n % 10_000)
        } else {
            (format!("{:05}", self.number / 10_000), self.number % 10_000)
        };
        format!(
            "\u{202a}+55\u{a0}{}\u{a0}{head}\u{2011}{tail:04}\u{202c}",
            self.ddd
        )
    }

    /// One of the shapes people type into a contacts sheet, chosen by `shape`:
    /// `(11) 98765-4321`, `+55 41 8888-7777`, `5521987654321`, `11 98765-4321`,
    /// `+55 (11) 98765-4321`.
    pub fn contact_shape(&self, shape: u8) -> String {
        let (a, b) = (self.number / 10_000, self.number % 10_000);
        match shape % 5 {
            0 => format!("({}) {a:05}-{b:04}", self.ddd),
            1 => self.android(true),
            2 => format!("55{}{}", self.ddd, self.number),
            3 => format!("{} {a:05}-{b:04}", self.ddd),
            _ => format!("+55 ({}) {a:05}-{b:04}", self.ddd),
        }
    }
}

/// A customer: who they are and how the shop's phone shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// First name (used by agents when the contact is saved).
    pub first: String,
    /// Grammatical gender of the first name (for `obrigado`/`obrigada`).
    pub female: bool,
    /// Surname (for the orders' billing name; never drawn separately).
    pub last: &'static str,
    /// The saved contact name, or None when the export shows the phone number.
    pub saved_name: Option<String>,
    /// Their WhatsApp number.
    pub phone: Phone,
    /// When shown as a number: in the legacy 8-digit form.
    pub legacy_display: bool,
    /// Where they live.
    pub city: City,
}

impl Customer {
    /// A random customer. `saved` is the chance that the shop saved them as a contact.
    pub fn random(rng: &mut Rng, saved: f64) -> Self {
        let female = rng.chance(0.62);
        let first = (*rng.pick(if female { FIRST_F } else { FIRST_M })).to_string();
        let last = *rng.pick(LAST);
        let city = *rng.pick(CITIES);
        let phone = Phone::random(rng, city.ddd);
        let saved_name = rng
            .chance(saved)
            .then(|| match rng.weighted(&[70, 10, 6, 6, 4, 4]) {
                0 => format!("{first} {last}"),
                1 => first.clone(),
                2 => format!("{first} {last} {}", rng.pick(NAME_EMOJI)),
                3 => format!("{first} ({})", city.name),
                4 => format!(
                    "{first} {}. {last}",
                    rng.pick(LAST).chars().next().unwrap_or('A')
                ),
                _ => format!("Cliente {first}"),
            });
        let legacy_display = rng.chance(0.15);
        Self {
            first,
            female,
            last,
            saved_name,
            phone,
            legacy_display,
            city,
        }
    }

    /// The author as an Android export shows it.
    pub fn android_name(&self) -> String {
        self.saved_name
            .clone()
            .unwrap_or_else(|| self.phone.android(self.legacy_display))
    }

    /// The author as an iOS export shows it.
    pub fn ios_name(&self) -> String {
        self.saved_name
            .clone()
            .unwrap_or_else(|| self.phone.ios(self.legacy_display))
    }

    /// The name in export file names (`WhatsApp Chat with <this>.txt`): never invisible marks.
    pub fn file_name(&self) -> String {
        self.android_name()
    }
}

/// A human agent of the shop, who signs messages `*Name*: `.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agent {
    /// Signature name.
    pub name: &'static str,
    /// For `obrigada`/`obrigado`.
    pub female: bool,
}

/// The shop's agents.
pub const AGENTS: &[Agent] = &[
    Agent {
        name: "Ana",
        female: true,
    },
    Agent {
        name: "Bruno",
        female: false,
    },
    Agent {
        name: "Carla",
        female: true,
    },
];

/// A product of the shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    /// Name without article (`vestido midi floral`).
    pub name: &'static str,
    /// Masculine (`o vestido`) or feminine (`a blusa`).
    pub female: bool,
    /// Price in centavos.
    pub price: u32,
    /// Variant phrases (`no tamanho M`, `na cor preta`).
    pub variants: &'static [&'static str],
}

const SIZES: &[&str] = &["no tamanho P", "no tamanho M", "no tamanho G", "no GG"];
const SHOE: &[&str] = &[
    "no 35", "no 36", "no 37", "no 38", "no 39", "no 40", "no 42",
];
const COLORS: &[&str] = &[
    "na cor preta",
    "na cor caramelo",
    "em azul",
    "na cor off-white",
    "em verde",
];
const NONE: &[&str] = &[""];

const fn product(
    name: &'static str,
    female: bool,
    price: u32,
    variants: &'static [&'static str],
) -> Product {
    Product {
        name,
        female,
        price,
        variants,
    }
}

/// What Loja Exemplo sells.
pub const PRODUCTS: &[Product] = &[
    product("vestido midi floral", false, 18990, SIZES),
    product("blusa de linho", true, 11990, SIZES),
    product("calça jeans wide leg", true, 15990, SIZES),
    product("tênis casual branco", false, 22990, SHOE),
    product("bolsa transversal de couro", true, 24990, COLORS),
    product("kit com 3 camisetas básicas", false, 9990, SIZES),
    product("jaqueta corta-vento", true, 19990, SIZES),
    product("sandália rasteira", true, 7990, SHOE),
    product("mochila de notebook", true, 13990, COLORS),
    product("conjunto de moletom", false, 21990, SIZES),
    product("óculos de sol polarizado", false, 14990, NONE),
    product("relógio digital esportivo", false, 12990, COLORS),
    product("garrafa térmica de 1 litro", true, 8990, COLORS),
    product("jogo de cama queen 4 peças", false, 27990, NONE),
    product("luminária de mesa LED", true, 11990, NONE),
];

impl Product {
    /// `o`/`a`.
    pub fn art(&self) -> &'static str {
        if self.female { "a" } else { "o" }
    }

    /// `do`/`da`.
    pub fn de(&self) -> &'static str {
        if self.female { "da" } else { "do" }
    }

    /// `esse`/`essa`.
    pub fn this(&self) -> &'static str {
        if self.female { "essa" } else { "esse" }
    }

    /// A random variant phrase with a leading space, or "" for products without variants.
    pub fn variant(&self, rng: &mut Rng) -> String {
        let v = *rng.pick(self.variants);
        if v.is_empty() {
            String::new()
        } else {
            format!(" {v}")
        }
    }
}

/// `R$ 1.234,56` (pt-BR money, thousands dot, decimal comma).
pub fn brl(cents: u32) -> String {
    let reais = cents / 100;
    let mut digits = reais.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(".{tail}{grouped}");
    }
    format!("R$ {digits}{grouped},{:02}", cents % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_and_phones() {
        use super::{Phone, brl};
        assert_eq!(brl(18990), "R$ 189,90");
        assert_eq!(brl(123456), "R$ 1.234,56");
        assert_eq!(brl(5), "R$ 0,05");
        let p = Phone {
            ddd: 41,
            number: 988_887_777,
        };
        assert_eq!(p.android(false), "+55 41 98888-7777");
        assert_eq!(p.android(true), "+55 41 8888-7777");
        assert_eq!(p.contact_shape(2), "5541988887777");
        assert_eq!(
            p.ios(false),
            "\u{202a}+55\u{a0}41\u{a0}98888\u{2011}7777\u{202c}"
        );
    }
}
