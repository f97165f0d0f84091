//! What a body is: media, deleted, call, location, poll, contact, system or text.
//!
//! The strings are WhatsApp's own export strings as they appear in real exports
//! and in the peer fixtures (FORMATS.md §4): English, Portuguese (BR and PT),
//! Spanish and German in depth, plus the media/deleted/location/e2e strings of
//! the other languages the fixtures show (cs, ru, uk, nl, fr, it, id, hi, ja,
//! th, vi, ar, tr). All tables are compiled once (`LazyLock`); matching is by
//! hash lookup, first-/last-byte buckets and `starts_with`/`ends_with`, never a
//! regex per line.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use crate::model::Kind;

/// Removes leading LRM/RLM/BOM marks (iOS starts generated bodies with U+200E).
pub(crate) fn strip_leading_marks(s: &str) -> &str {
    s.trim_start_matches(['\u{200e}', '\u{200f}', '\u{feff}'])
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}')
}

/// Whole-body strings (also matched on the part after the last LRM/RLM, as in
/// iOS `Some file.txt \u200edocument omitted`). A single trailing '.' is ignored.
const EXACT: &[(Kind, &[&str])] = &[
    (
        Kind::Media,
        &[
            // Android, export without media
            "<Media omitted>",
            "<media omitted>",
            "<Video message omitted>",
            "<Video note omitted>",
            "<Mídia oculta>",
            "<Mídia omitida>",
            "<Arquivo de mídia oculto>",
            "<Ficheiro não revelado>",
            "<Multimedia omitido>",
            "<Multimédia omitido>",
            "<Archivo omitido>",
            "<Medien ausgeschlossen>",
            "<Medien weggelassen>",
            "<Videonachricht weggelassen>",
            "<Média vynechány>",
            "<Без медиафайлов>",
            "<Файл пропущен>",
            "<Без медіафайлів>",
            "<Media weggelaten>",
            "<Fichier omis>",
            "<Médias omis>",
            "<Media omesso>",
            "<Media omessi>",
            "<Media tidak disertakan>",
            "<Medya atlanmış>",
            "<Walang kalakip na media>",
            "<تم استبعاد الوسائط>",
            // view once / undecryptable media
            "null",
            "You received a view once message. For added privacy, you can only open it on your phone",
            // iOS, export without media (en, pt-BR, pt-PT, es, de, fr, it, id, hi, ar, ru, uk, cs, nl, tr, ja, th, vi)
            "image omitted",
            "video omitted",
            "audio omitted",
            "sticker omitted",
            "GIF omitted",
            "document omitted",
            "video note omitted",
            "product image omitted",
            "imagem ocultada",
            "áudio ocultado",
            "vídeo omitido",
            "figurinha omitida",
            "documento omitido",
            "GIF omitido",
            "imagem de produto omitida",
            "imagem não revelada",
            "vídeo não revelado",
            "ficheiro de áudio não revelado",
            "sticker não revelado",
            "documento não revelado",
            "GIF não revelada",
            "imagen omitida",
            "Video omitido",
            "video omitido",
            "audio omitido",
            "sticker omitido",
            "Bild weggelassen",
            "Video weggelassen",
            "Audio weggelassen",
            "Sticker weggelassen",
            "Dokument weggelassen",
            "GIF weggelassen",
            "Videonotiz weggelassen",
            "Produktbild ausgelassen",
            "image absente",
            "vidéo absente",
            "audio omis",
            "sticker omis",
            "document manquant",
            "GIF retiré",
            "immagine omessa",
            "video omesso",
            "audio omesso",
            "sticker non incluso",
            "documento omesso",
            "GIF esclusa",
            "gambar tidak disertakan",
            "video tidak disertakan",
            "audio tidak disertakan",
            "stiker tidak disertakan",
            "dokumen tidak disertakan",
            "GIF tidak disertakan",
            "फ़ोटो हटाई गई",
            "वीडियो छो\u{95c}ा गया",
            "ऑडियो हटाई गयी",
            "स्टिकर छो\u{95c}ा गया",
            "डॉक्यूमेंट छो\u{95c}ा गया",
            "GIF छो\u{95c}ा गया",
            "لم يتم إدراج الصورة",
            "لم يتم إدراج الفيديوهات",
            "لم يتم إدراج المقاطع الصوتية",
            "تم حذف الملصقات",
            "لم يتم إدراج المستند",
            "لم يتم إدراج صورة GIF",
            "изображение отсутствует",
            "видео отсутствует",
            "аудиофайл отсутствует",
            "стикер не добавлен",
            "документ отсутствует",
            "GIF отсутствует",
            "зображення відсутнє",
            "відео відсутнє",
            "аудіо відсутнє",
            "Наклейку не додано",
            "документ пропущено",
            "GIF-анімацію пропущено",
            "obrázek vynechán",
            "video vynecháno",
            "zvukový soubor vynechán",
            "nálepka vynechána",
            "dokument vynechán",
            "GIF vynechán",
            "afbeelding weggelaten",
            "video weggelaten",
            "audio weggelaten",
            "sticker weggelaten",
            "document weggelaten",
            "GIF weggelaten",
            "görüntü dahil edilmedi",
            "video dahil edilmedi",
            "ses dahil edilmedi",
            "Çıkartma dahil edilmedi",
            "belge dahil edilmedi",
            "GIF dahil edilmedi",
            "画像は含まれていません",
            "ビデオは含まれていません",
            "音声は含まれていません",
            "スタンプは含まれていません",
            "ドキュメントは含まれていません",
            "GIFは含まれていません",
            "ไม่มีรูปภาพ",
            "วิดีโอถูกลบ",
            "ไม่มีไฟล์เสียง",
            "ไม่มีสติกเกอร์",
            "ละเว้นเอกสาร",
            "ละเว้น GIF",
            "đã bỏ qua hình ảnh",
            "đã bỏ video",
            "bỏ qua tệp âm thanh",
            "đã bỏ sticker",
            "đã bỏ qua tài liệu",
            "Đã bỏ qua ảnh GIF",
        ],
    ),
    (
        Kind::Contact,
        &[
            "Contact card omitted",
            "Cartão do contato omitido",
            "Contacto não revelado",
            "Tarjeta de contacto omitida",
            "Kontaktkarte ausgelassen",
            "Kontaktkarte weggelassen",
            "Fiche contact manquante",
            "Scheda contatto omessa",
            "Kartu kontak tidak disertakan",
            "कॉन्टैक्ट कार्ड छो\u{95c}ा गया",
            "لم يتم إدراج بطاقة جهة اتصال",
            "Карточка контакта отсутствует",
            "Картка контакту відсутня",
            "Vizitka vynechána",
            "Visitekaartje weggelaten",
            "Kişi kartı dahil edilmedi",
            "連絡先カードを省略",
            "บัตรรายชื่อที่ละเว้น",
            "Bỏ qua thẻ liên lạc",
        ],
    ),
    (
        Kind::Deleted,
        &[
            "This message was deleted",
            "You deleted this message",
            "Message deleted",
            "Esta mensagem foi apagada",
            "Mensagem apagada",
            "Você apagou esta mensagem",
            "Apagou esta mensagem",
            "Esta mensagem foi apagada pelo remetente",
            "Se eliminó este mensaje",
            "Este mensaje fue eliminado",
            "Eliminaste este mensaje",
            "Diese Nachricht wurde gelöscht",
            "Du hast diese Nachricht gelöscht",
            "Ce message a été supprimé",
            "Vous avez supprimé ce message",
            "Questo messaggio è stato eliminato",
            "Hai eliminato questo messaggio",
            "Pesan ini telah dihapus",
            "Pesan ini dihapus",
            "Anda telah menghapus pesan ini",
            "Anda menghapus pesan ini",
            "Данное сообщение удалено",
            "Вы удалили данное сообщение",
            "Вы удалили это сообщение",
            "Це повідомлення було видалено",
            "Ви видалили це повідомлення",
            "Tato zpráva byla odstraněna",
            "Tato zpráva byla smazána",
            "Tuto zprávu jste odstranil/a",
            "Tuto zprávu jste smazal/a",
            "Dit bericht is verwijderd",
            "U hebt dit bericht verwijderd",
            "Bu mesaj silindi",
            "Bu mesajı sildiniz",
            "यह मैसेज डिलीट कर दिया गया है",
            "आपने यह मैसेज डिलीट किया",
            "تم حذف هذه الرسالة",
            "أنت حذفت هذه الرسالة",
            "لقد حذَفت هذه الرسالة",
            "このメッセージは削除されました。",
            "このメッセージを削除しました。",
            "ข้อความนี้ถูกลบแล้ว",
            "คุณได้ลบข้อความนี้",
            "Tin nhắn này đã bị xóa",
            "Bạn đã xoá tin nhắn này",
            "Itong mensahe ay binura na",
            "Binura mo itong mensahe",
        ],
    ),
    (
        Kind::Call,
        &[
            "Missed voice call",
            "Missed video call",
            "Missed Voice Call",
            "Missed Video Call",
            "Missed group voice call",
            "Missed group video call",
            "Chamada de voz perdida",
            "Chamada de vídeo perdida",
            "Videochamada perdida",
            "Llamada perdida",
            "Llamada de voz perdida",
            "Llamada de video perdida",
            "Videollamada perdida",
            "Verpasster Sprachanruf",
            "Verpasster Videoanruf",
            "Appel vocal manqué",
            "Appel vidéo manqué",
            "Chiamata vocale persa",
            "Videochiamata persa",
            "Panggilan suara tak terjawab",
            "Panggilan video tak terjawab",
            "Пропущенный аудиозвонок",
            "Пропущенный видеозвонок",
            "Zmeškaný hovor",
            "Gemiste spraakoproep",
            "Gemist spraakgesprek",
            "Gemist videogesprek",
            "Cevapsız sesli arama",
            "Cevapsız görüntülü arama",
            "مكالمة صوتية فائتة",
            "مكالمة فيديو فائتة",
        ],
    ),
    (
        Kind::Location,
        &[
            "live location shared",
            "Live-Standort wird geteilt",
            "localização atual compartilhada",
            "Está a partilhar a sua localização",
            "ubicación en tiempo real compartida",
            "Ubicación en tiempo real compartida",
            "Localisation en direct partagée",
            "posizione attuale condivisa",
            "Lokasi terkini dibagikan",
            "Геоданные отправлены",
            "live locatie gedeeld",
            "Mevcut konum paylaşıldı",
        ],
    ),
    (Kind::Poll, &["POLL:", "ENQUETE:", "ENCUESTA:", "UMFRAGE:"]),
    (
        Kind::System,
        &[
            "You're now an admin",
            "You're no longer an admin",
            "You were added",
            "You joined using this group's invite link",
            "You created this group",
            "You changed this group's icon",
            "You deleted this group's icon",
            "You changed the group description",
            "You blocked this contact. Tap to unblock",
            "You unblocked this contact",
            "You turned on disappearing messages",
            "You turned off disappearing messages",
            "You turned off disappearing messages. Tap to change",
            "Você agora é admin",
            "Você agora é um admin",
            "Você foi adicionado",
            "Você entrou usando o link de convite deste grupo",
            "Você bloqueou este contato. Toque para desbloquear",
            "Você desbloqueou este contato",
            "Ahora eres admin",
            "Ahora eres administrador",
            "Te uniste usando el enlace de invitación de este grupo",
            "Te uniste mediante el enlace de invitación de este grupo",
            "Bloqueaste a este contacto. Toca para desbloquear",
            "Desbloqueaste a este contacto",
            "Du bist jetzt ein*e Admin",
            "Du bist jetzt Admin",
            "Du bist kein*e Admin mehr",
            "Du wurdest hinzugefügt",
            "Du bist dieser Gruppe mit dem Einladungslink beigetreten",
            "Du bist der Gruppe mit dem Einladungslink beigetreten",
            "Du hast diesen Kontakt blockiert. Tippe, um ihn freizugeben",
            "Du hast diesen Kontakt freigegeben",
            "Du hast selbstlöschende Nachrichten aktiviert",
            "Du hast selbstlöschende Nachrichten deaktiviert",
            "Du hast das Gruppenbild geändert",
            "Du hast die Gruppenbeschreibung geändert",
        ],
    ),
];

/// The "tap to learn more" tails of iOS notices (`Your security code with X
/// changed. \u200eTap to learn more.`): a system line when they follow a mark.
const SYSTEM_TAILS: &[&str] = &[
    "Tap to learn more",
    "Tap for more info",
    "Tippe, um mehr zu erfahren",
    "Toque para saber mais",
    "Pulsa para obtener más información",
    "Toca para obtener más información",
    "Appuyez pour en savoir plus",
    "Tocca per saperne di più",
    "Подробнее",
    "Торкніться, щоб дізнатися більше",
    "Další informace zobrazíte klepnutím",
    "ज़्यादा जानने के लिए टैप करें",
    "Ketuk untuk info selengkapnya",
    "タップして詳細を表示。",
    "แตะเพื่อเรียนรู้เพิ่มเติม",
    "Nhấn để tìm hiểu thêm",
    "انقر هنا لمعرفة المزيد",
    "Tik voor meer informatie",
    "Daha fazla bilgi için dokunun",
];

/// System notices recognised by their beginning, even inside an authored body
/// (iOS attributes them to the contact or the group): end-to-end notices in
/// every fixture language, security-code changes, Meta AI notices, "waiting
/// for this message".
const SYSTEM_PREFIXES: &[&str] = &[
    "Messages and calls are end-to-end encrypted",
    "Messages to this group are now secured with end-to-end encryption",
    "Messages you send to this group are now secured with end-to-end encryption",
    "Messages to this chat and calls are now secured with end-to-end encryption",
    "Messages you send to this chat and calls are now secured with end-to-end encryption",
    "Your security code with ",
    "Waiting for this message",
    "Meta AI is an optional service from Meta",
    "Only messages that mention or people share with @",
    "As mensagens e as chamadas são protegidas com a criptografia de ponta a ponta",
    "As mensagens e chamadas são protegidas com a criptografia de ponta a ponta",
    "As mensagens e chamadas desta conversa estão agora seguras",
    "As mensagens enviadas a este grupo estão agora protegidas",
    "As mensagens e chamadas são encriptadas ponto a ponto",
    "As mensagens e as chamadas são encriptadas ponto a ponto",
    "Nesta conversa, as mensagens que enviar",
    "As mensagens que enviar a este grupo",
    "Seu código de segurança com ",
    "O código de segurança de ",
    "O seu código de segurança ",
    "Aguardando esta mensagem",
    "A Meta AI é um serviço opcional",
    "Los mensajes y las llamadas están cifrados de extremo a extremo",
    "Los mensajes y llamadas en este chat ahora están protegidos",
    "Los mensajes en este grupo ahora están protegidos",
    "Cambió tu código de seguridad con ",
    "Tu código de seguridad con ",
    "Esperando este mensaje",
    "Meta AI es un servicio opcional",
    "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt",
    "Nachrichten in diesem Chat sowie Anrufe sind jetzt mit Ende-zu-Ende",
    "Nachrichten an diese Gruppe sind jetzt mit Ende-zu-Ende",
    "Dein Sicherheitscode für ",
    "Deine Sicherheitsnummer für ",
    "Warten auf diese Nachricht",
    "Meta AI ist ein optionaler Dienst",
    "Nur Nachrichten, die @",
    "Les messages et les appels sont chiffrés de bout en bout",
    "Les messages envoyés dans cette discussion",
    "Les messages envoyés dans ce groupe",
    "Votre code de sécurité avec ",
    "I messaggi e le chiamate sono crittografati end-to-end",
    "Le chiamate e i messaggi sono crittografati end-to-end",
    "I messaggi inviati a questa chat",
    "I messaggi inviati a questo gruppo",
    "Il tuo codice di sicurezza con ",
    "Pesan dan panggilan terenkripsi secara end-to-end",
    "Pesan-pesan yang dikirimkan ke",
    "Kode keamanan Anda dengan ",
    "Сообщения и звонки защищены сквозным шифрованием",
    "Сообщения в данном чате",
    "Сообщения в данной группе",
    "Ваш код безопасности с ",
    "Повідомлення й дзвінки захищено наскрізним шифруванням",
    "Код безпеки з ",
    "Zprávy a hovory jsou opatřeny koncovým šifrováním",
    "Zprávy a hovory jsou zabezpečeny koncovým šifrováním",
    "Bezpečnostní kód ",
    "Berichten en oproepen worden end-to-end versleuteld",
    "Berichten en gesprekken worden end-to-end versleuteld",
    "Berichten en oproepen in deze chat",
    "Berichten die naar deze groep",
    "Mesajlar ve aramalar uçtan uca şifrelidir",
    "मैसेजेस और कॉल्स एंड-टू-एंड एन्क्रिप्टेड हैं",
    "メッセージと通話はエンドツーエンド暗号化されています",
    "ข้อความและการโทรได้รับการเข้ารหัสจากต้นทางถึงปลายทาง",
    "รหัสความปลอดภัยของคุณกับ ",
    "Tin nhắn và cuộc gọi được mã hóa đầu cuối",
    "Mã bảo mật của bạn với ",
    "الرسائل والمكالمات مشفرة تمام",
    "تغيّر رمز أمانك",
    "Ang mga mensahe at tawag sa chat na ito ay secured",
];

/// System notices recognised by their end, even inside an authored body (iOS
/// `[…] My Group Name: Boris added you`). A trailing '.' is ignored.
const SYSTEM_SUFFIXES: &[&str] = &[
    " added you",
    " joined using this group's invite link",
    " changed their phone number to a new number. Tap to message or add the new number",
    "'s security code changed. Tap for more info",
    "'s security code changed. Tap to learn more",
    " te adicionou",
    " adicionou você",
    " entrou usando o link de convite deste grupo",
    " te añadió",
    " se unió usando el enlace de invitación de este grupo",
    " hat dich hinzugefügt",
    " ist dieser Gruppe mit dem Einladungslink beigetreten",
    " ist der Gruppe mit dem Einladungslink beigetreten",
];

/// Looser phrases of group events and notices. Used only where a system line
/// is plausible: authorless lines, bodies that start with a mark (iOS
/// generated strings) and, before the first ": ", lines that would otherwise
/// be split into a fake author.
const SYSTEM_CONTAINS: &[&str] = &[
    // en
    " created group ",
    "You created group ",
    " added ",
    " removed ",
    " left the group",
    " joined using ",
    " changed the subject ",
    " changed the group name",
    " changed this group's ",
    " changed the group description",
    " deleted this group's icon",
    "security code",
    " changed their phone number",
    " changed to +",
    "now an admin",
    "no longer an admin",
    "disappearing messages",
    "message timer",
    "blocked this contact",
    "You were added",
    " were added",
    "end-to-end encrypt",
    "Waiting for this message",
    "Meta AI",
    " started a call",
    " started a video call",
    "advanced chat privacy",
    "admin approval",
    // pt-BR / pt-PT
    " criou o grupo ",
    "Você criou o grupo ",
    " adicionou ",
    " removeu ",
    " entrou usando o link",
    " mudou o assunto ",
    " mudou o nome do grupo",
    " mudou a imagem ",
    " mudou o ícone ",
    " mudou a descrição ",
    " mudou as configurações ",
    "código de segurança",
    " mudou seu número",
    " agora é admin",
    "mensagens temporárias",
    "bloqueou este contato",
    "desbloqueou este contato",
    "Aguardando esta mensagem",
    "criptografia de ponta a ponta",
    " foi adicionado",
    "Você foi adicionado",
    // es
    " creó el grupo ",
    "Creaste el grupo ",
    " añadió a ",
    "Se añadió a ",
    " eliminó a ",
    " se unió usando ",
    " cambió el asunto ",
    " cambió el nombre del grupo",
    " cambió el ícono ",
    " cambió la imagen ",
    " cambió la descripción ",
    " cambió la configuración ",
    "código de seguridad",
    " cambió su número",
    "Ahora eres admin",
    "mensajes temporales",
    "Bloqueaste a este contacto",
    "Desbloqueaste a este contacto",
    "Esperando este mensaje",
    "cifrado de extremo a extremo",
    "cifrados de extremo a extremo",
    // de
    " hat die Gruppe ",
    "Du hast die Gruppe ",
    " hinzugefügt",
    " entfernt",
    "Einladungslink",
    " hat den Betreff ",
    "Gruppennamen",
    "Gruppenbild",
    "Gruppenbeschreibung",
    "Gruppeneinstellungen",
    "Sicherheitscode",
    "Sicherheitsnummer",
    "neue Telefonnummer",
    " Admin",
    "selbstlöschende Nachrichten",
    "Nachrichtendauer",
    "Kontakt blockiert",
    "Kontakt freigegeben",
    "Warten auf diese Nachricht",
    "Ende-zu-Ende-verschlüsselt",
];

/// Suffix-only looser phrases ("Bertilla left").
const SYSTEM_LOOSE_SUFFIXES: &[&str] = &[
    " left",
    " saiu",
    " saiu do grupo",
    " salió",
    " salió del grupo",
    " hat die Gruppe verlassen",
];

/// Android `IMG-….jpg (file attached)` suffixes.
const ATTACHED_SUFFIXES: &[&str] = &[
    "(file attached)",
    "(arquivo anexado)",
    "(ficheiro anexado)",
    "(archivo adjunto)",
    "(archivo adjuntado)",
    "(Datei angehängt)",
    "(fichier joint)",
    "(file allegato)",
    "(file terlampir)",
    "(bestand bijgevoegd)",
    "(soubor byl přiložen)",
    "(файл добавлен)",
    "(файл додано)",
    "(dosya ekli)",
    "(الملف مرفق)",
    "(nakalakip na file)",
];

/// iOS `<attached: 00000012-PHOTO-….jpg>` openers.
const ATTACHED_OPENERS: &[&str] = &[
    "<attached: ",
    "< attached: ",
    "<anexado: ",
    "<anexo: ",
    "<adjunto: ",
    "<Anhang: ",
    "< pièce jointe : ",
    "<allegato: ",
    "<terlampir: ",
    "<прикреплено: ",
    "<bijgevoegd: ",
    "<المُرفق: ",
    "<अटैच किया गया: ",
];

/// Words inside Android `<…>` media placeholders not listed in [`EXACT`].
const OMITTED_WORDS: &[&str] = &[
    "omit",
    "media",
    "mídia",
    "medien",
    "multimedia",
    "vynech",
    "медиа",
    "медіа",
    "weggel",
    "fichier",
    "ficheiro",
    "archivo",
    "arquivo",
    "atlan",
    "dahil",
    "الوسائط",
    "kalakip",
    "मीडिया",
];

/// Labels of `label: https://maps…` location messages (compared lower-cased).
const LOCATION_LABELS: &[&str] = &[
    "location",
    "localização",
    "localizacao",
    "ubicación",
    "ubicacion",
    "standort",
    "poloha",
    "местоположение",
    "localisation",
    "posizione",
    "lokasi",
    "розташування",
    "موقع",
    "الموقع",
    "locatie",
    "konum",
    "vị trí",
    "位置情報",
    "लोकेशन",
    "ตำแหน่งที่ตั้ง",
    "lokasyon",
];

/// Completed/unanswered call lines: `Voice call. 12 min`, `Video call. No answer`.
const CALL_PREFIXES: &[&str] = &[
    "Voice call. ",
    "Video call. ",
    "Voice call, ",
    "Video call, ",
    "Sprachanruf. ",
    "Videoanruf. ",
    "Chamada de voz. ",
    "Chamada de vídeo. ",
    "Llamada de voz. ",
    "Videollamada. ",
];

/// FNV-1a: the keys are short and fixed, so a simple hash beats SipHash here.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

fn strip_dot(s: &str) -> &str {
    s.strip_suffix('.').unwrap_or(s)
}

static EXACT_MAP: LazyLock<FnvMap<&'static str, Kind>> = LazyLock::new(|| {
    let mut m = FnvMap::default();
    for (kind, list) in EXACT {
        for s in *list {
            m.insert(strip_dot(s), *kind);
        }
    }
    m
});

/// Longest key of [`EXACT_MAP`] in bytes: longer bodies skip the lookup.
static EXACT_MAX: LazyLock<usize> =
    LazyLock::new(|| EXACT_MAP.keys().map(|k| k.len()).max().unwrap_or(0));

static TAIL_SET: LazyLock<FnvMap<&'static str, ()>> =
    LazyLock::new(|| SYSTEM_TAILS.iter().map(|s| (strip_dot(s), ())).collect());

/// Prefix lists bucketed by first byte.
static PREFIX_BUCKETS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let mut v = vec![Vec::new(); 256];
    for p in SYSTEM_PREFIXES {
        v[usize::from(p.as_bytes()[0])].push(*p);
    }
    v
});

/// Suffix lists bucketed by last byte.
static SUFFIX_BUCKETS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let mut v = vec![Vec::new(); 256];
    for s in SYSTEM_SUFFIXES {
        let s = strip_dot(s);
        v[usize::from(s.as_bytes()[s.len() - 1])].push(s);
    }
    v
});

/// First and last bytes of the [`EXACT_MAP`] keys: most bodies fail this
/// cheap test and skip hashing.
static EXACT_ENDS: LazyLock<([bool; 256], [bool; 256])> = LazyLock::new(|| {
    let (mut first, mut last) = ([false; 256], [false; 256]);
    for k in EXACT_MAP.keys() {
        let b = k.as_bytes();
        first[usize::from(b[0])] = true;
        last[usize::from(b[b.len() - 1])] = true;
    }
    (first, last)
});

/// Exact lookup of the whole body, or of the part after its last mark.
fn exact(t: &str) -> Option<Kind> {
    let t = strip_dot(t);
    let b = t.as_bytes();
    let (first, last) = &*EXACT_ENDS;
    if let (Some(&f), Some(&l)) = (b.first(), b.last())
        && first[usize::from(f)]
        && last[usize::from(l)]
        && t.len() <= *EXACT_MAX
        && let Some(k) = EXACT_MAP.get(t)
    {
        return Some(*k);
    }
    // `Some file.txt \u200edocument omitted`, `… changed. \u200eTap to learn more.`
    if memchr::memchr(0xE2, b).is_some()
        && let Some(i) = t.rfind(is_mark)
    {
        let seg = strip_dot(t[i..].trim_start_matches(is_mark).trim());
        if let Some(k) = EXACT_MAP.get(seg) {
            return Some(*k);
        }
        if TAIL_SET.contains_key(seg) {
            return Some(Kind::System);
        }
    }
    None
}

fn attached_kind(name: &str) -> Kind {
    let n = name.trim_end().trim_end_matches(['>', ' ']);
    let lower_vcf = n.len() >= 4 && n.as_bytes()[n.len() - 4..].eq_ignore_ascii_case(b".vcf");
    if lower_vcf {
        Kind::Contact
    } else {
        Kind::Media
    }
}

/// Media/contact placeholders that need more than an exact match.
fn media(t: &str) -> Option<Kind> {
    let b = t.as_bytes();
    let last = *b.last()?;
    if last == b')' {
        for s in ATTACHED_SUFFIXES {
            if let Some(name) = t.strip_suffix(s) {
                return Some(attached_kind(name));
            }
        }
        return None;
    }
    if last != b'>' {
        return None;
    }
    for o in ATTACHED_OPENERS {
        if let Some(i) = memchr::memmem::find(b, o.as_bytes()) {
            return Some(attached_kind(&t[i + o.len()..]));
        }
    }
    // old iOS `2015-08-04-PHOTO-00004762.jpg <\u200eattached>`
    if t.ends_with("<attached>") || t.ends_with("<\u{200e}attached>") {
        return Some(Kind::Media);
    }
    if b[0] == b'<' && t.len() < 80 && !t[1..].contains('<') {
        let inner = t[1..t.len() - 1].to_lowercase();
        if OMITTED_WORDS.iter().any(|w| inner.contains(w)) {
            return Some(Kind::Media);
        }
        // Turkish iOS `<%@ eklendi>`
        if inner.ends_with(" eklendi") {
            return Some(Kind::Media);
        }
    }
    None
}

/// `location: https://maps…`, `Localização: …`, Foursquare `Name (City): https://foursquare.com/…`.
fn location(t: &str) -> bool {
    let b = t.as_bytes();
    let window = &b[..b.len().min(120)];
    let Some(i) =
        memchr::memchr_iter(b':', window).find(|&i| window[i + 1..].starts_with(b" http"))
    else {
        return false;
    };
    if t[i + 2..].starts_with("https://foursquare.com/") {
        return true;
    }
    let label = t[..i].trim_end().to_lowercase();
    LOCATION_LABELS.contains(&label.as_str())
}

fn call(t: &str) -> bool {
    if !matches!(t.as_bytes()[0], b'V' | b'S' | b'C' | b'L' | b'M') {
        return false;
    }
    CALL_PREFIXES.iter().any(|p| t.starts_with(p)) && t.len() < 60
        || (t.starts_with("Missed ") && t.len() < 80 && t.contains(" call"))
}

fn strict_system(t: &str) -> bool {
    let b = t.as_bytes();
    let first = usize::from(b[0]);
    if PREFIX_BUCKETS[first].iter().any(|p| t.starts_with(p)) {
        return true;
    }
    let s = strip_dot(t);
    let Some(&last) = s.as_bytes().last() else {
        return false;
    };
    SUFFIX_BUCKETS[usize::from(last)]
        .iter()
        .any(|x| s.ends_with(x))
}

/// Position of the first loose system phrase, if any.
fn loose_system_at(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let mut best: Option<usize> = None;
    for p in SYSTEM_CONTAINS {
        if let Some(i) = memchr::memmem::find(b, p.as_bytes()) {
            best = Some(best.map_or(i, |x| x.min(i)));
        }
    }
    let s = strip_dot(t);
    for p in SYSTEM_LOOSE_SUFFIXES {
        if s.ends_with(p) {
            let i = s.len() - p.len();
            best = Some(best.map_or(i, |x| x.min(i)));
        }
    }
    best
}

/// Kind of an authored body (the text after `author: `, leading marks already
/// stripped). `mark_led` tells whether the body started with a mark, as
/// WhatsApp-generated iOS strings do.
pub(crate) fn classify_body(body: &str, mark_led: bool) -> Kind {
    let t = body.trim_end();
    if t.is_empty() {
        return Kind::Text;
    }
    if let Some(k) = exact(t) {
        return k;
    }
    if let Some(k) = media(t) {
        return k;
    }
    if location(t) {
        return Kind::Location;
    }
    if call(t) {
        return Kind::Call;
    }
    if strict_system(t) || (mark_led && loose_system_at(t).is_some()) {
        return Kind::System;
    }
    Kind::Text
}

/// Whether the whole text after a header (no author split) is a known
/// WhatsApp line: a system notice, or any generated string.
pub(crate) fn is_known_line(text: &str) -> bool {
    let t = strip_leading_marks(text).trim_end();
    if t.is_empty() {
        return false;
    }
    classify_body(t, true) != Kind::Text
}

/// Whether `text` is a system line whose phrase starts before byte `limit`
/// (the first ": "), so that `X changed the subject to "A: B"` is not split
/// into a fake author. Only called when a quote precedes `limit`.
pub(crate) fn system_before(text: &str, limit: usize) -> bool {
    let t = strip_leading_marks(text).trim_end();
    if t.is_empty() {
        return false;
    }
    let shift = text.len() - strip_leading_marks(text).len();
    strict_system(t) || loose_system_at(t).is_some_and(|i| i + shift < limit)
}

/// Whether a message's text is only its header line's body.
pub(crate) fn is_single_line(text: &str, head_len: usize) -> bool {
    text.len() <= head_len
}

/// Kind after the whole message is known: Android splits Foursquare venues
/// over lines (`Name\nCity\nhttps://foursquare.com/v/…`).
pub(crate) fn finish_kind(kind: Kind, text: &str) -> Kind {
    if kind == Kind::Text
        && let Some(i) = text.rfind('\n')
        && text[i + 1..].starts_with("https://foursquare.com/")
    {
        return Kind::Location;
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Kind {
        let t = strip_leading_marks(s);
        classify_body(t, t.len() != s.len())
    }

    #[test]
    fn media_family() {
        for s in [
            "<Media omitted>",
            "<media omitted>",
            "<Mídia oculta>",
            "<Mídia omitida>",
            "<Arquivo de mídia oculto>",
            "<Multimedia omitido>",
            "<Archivo omitido>",
            "<Medien ausgeschlossen>",
            "<Medien weggelassen>",
            "<Média vynechány>",
            "<Без медиафайлов>",
            "<Media weggelaten>",
            "\u{200e}image omitted",
            "image omitted",
            "\u{200e}sticker omitted",
            "\u{200e}GIF omitted",
            "imagem ocultada",
            "áudio ocultado",
            "vídeo omitido",
            "figurinha omitida",
            "documento omitido",
            "imagen omitida",
            "Video omitido",
            "audio omitido",
            "sticker omitido",
            "Bild weggelassen",
            "Some file.txt \u{200e}document omitted",
            "Resume.pdf • \u{200e}2 pages \u{200e}document omitted",
            "Some file.txt \u{200f}لم يتم إدراج المستند",
            "\u{200e}画像は含まれていません",
            "\u{200e}đã bỏ qua hình ảnh",
            "IMG-20210428-WA0001.jpg (file attached)",
            "\u{200e}\u{200e}PTT-20180129-WA0025.opus (file attached)",
            "foto.jpg (arquivo anexado)",
            "foto.jpg (archivo adjunto)",
            "foto.jpg (archivo adjuntado)",
            "4f26.jpg (Datei angehängt)",
            "VID-1.mp4 (bestand bijgevoegd)",
            "\u{200e}<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>",
            "\u{200e}\u{200e}<attached: \u{200e}PTT-20180129-WA0025.opus>",
            "V--- SEGA RS.pdf • 14 pages <attached: 00000002-RS.pdf>",
            "<anexado: 00000002-PHOTO.jpg>",
            "<adjunto: 00000002-PHOTO-2018-03-25-11-27-47.jpg>",
            "\u{200e}<Anhang: PTT-20180129-WA0025.opus>",
            "2015-08-04-PHOTO-00004762.jpg <\u{200e}attached>",
            "2015-08-04-PHOTO-00004762.jpg <attached>",
            "null",
        ] {
            assert_eq!(k(s), Kind::Media, "{s:?}");
        }
    }

    #[test]
    fn contact_deleted_call_location_poll() {
        for (s, want) in [
            ("Alex.vcf (file attached)", Kind::Contact),
            ("\u{200e}TR.vcf (soubor byl přiložen)", Kind::Contact),
            ("\u{200e}<attached: 00000042-TR.vcf>", Kind::Contact),
            ("\u{200e}Contact card omitted", Kind::Contact),
            ("This message was deleted", Kind::Deleted),
            ("\u{200e}This message was deleted.", Kind::Deleted),
            ("You deleted this message", Kind::Deleted),
            ("\u{200e}You deleted this message.", Kind::Deleted),
            ("Esta mensagem foi apagada", Kind::Deleted),
            ("Mensagem apagada", Kind::Deleted),
            ("Você apagou esta mensagem", Kind::Deleted),
            ("Se eliminó este mensaje.", Kind::Deleted),
            ("Este mensaje fue eliminado", Kind::Deleted),
            ("Eliminaste este mensaje.", Kind::Deleted),
            ("Diese Nachricht wurde gelöscht.", Kind::Deleted),
            ("Missed voice call", Kind::Call),
            ("Missed video call", Kind::Call),
            ("\u{200e}Missed voice call. Tap to call back", Kind::Call),
            ("Voice call. 12 min", Kind::Call),
            ("Video call. No answer", Kind::Call),
            ("Chamada de voz perdida", Kind::Call),
            ("Chamada de vídeo perdida", Kind::Call),
            ("Llamada perdida", Kind::Call),
            ("Llamada de voz perdida", Kind::Call),
            ("Verpasster Sprachanruf", Kind::Call),
            (
                "location: https://maps.google.com/?q=50.94,6.95",
                Kind::Location,
            ),
            (
                "\u{200e}Location: https://maps.google.com/?q=51.5,-0.12",
                Kind::Location,
            ),
            (
                "Localização: https://maps.google.com/?q=1,2",
                Kind::Location,
            ),
            ("Ubicación: https://maps.google.com/?q=1,2", Kind::Location),
            ("Standort: https://maps.google.com/?q=1,2", Kind::Location),
            (
                "местоположение: https://maps.google.com/?q=1,2",
                Kind::Location,
            ),
            (
                "\u{200f}موقع: https://maps.google.com/?q=1,2",
                Kind::Location,
            ),
            (
                "Pimlico Gardens (London, United Kingdom): https://foursquare.com/v/4e89",
                Kind::Location,
            ),
            ("live location shared", Kind::Location),
            ("Live-Standort wird geteilt.", Kind::Location),
            ("POLL:", Kind::Poll),
        ] {
            assert_eq!(k(s), want, "{s:?}");
        }
    }

    #[test]
    fn system_in_authored_bodies() {
        for s in [
            "\u{200e}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.",
            "\u{200e}\u{200e}Your security code with Elon changed. \u{200e}Tap to learn more.",
            "\u{200e}\u{200e}Elon के लिए आपका सुरक्षा कोड बदल गया है. \u{200e}ज़्यादा जानने के लिए टैप करें.",
            "Boris added you",
            "\u{200e}Boris created group “My Group Name”",
            "\u{200e}Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.",
            "\u{200e}As mensagens e chamadas são encriptadas ponto a ponto.",
            "Waiting for this message",
        ] {
            assert_eq!(k(s), Kind::System, "{s:?}");
        }
    }

    #[test]
    fn plain_text_stays_text() {
        for s in [
            "Hey! :)",
            "\u{200e}No idea, lets try it out!",
            "I added sugar to the recipe",
            "Gif",
            "Viewed once only image",
            "Cool right? Whenever a file can't be reproduced via <img>, <video> or <audio> it becomes downloadable like that.",
            "<This message was edited>",
            "Links:",
            "my location: not sure",
            "https://github.com/JuKo007",
            "",
        ] {
            assert_eq!(k(s), Kind::Text, "{s:?}");
        }
    }

    #[test]
    fn system_before_first_colon() {
        let t = "X changed the subject from \"Loja\" to \"Promo: 50% off\"";
        let limit = t.find(": ").unwrap();
        assert!(system_before(t, limit));
        let t = "Ana \"Loja\": I changed the subject from math to art";
        let limit = t.find(": ").unwrap();
        assert!(!system_before(t, limit));
        assert!(is_known_line(
            "Alice created group \"Some cool group chat\""
        ));
        assert!(is_known_line(
            "Dimas entrou usando o link de convite deste grupo"
        ));
        assert!(!is_known_line("fica bom pra mim?"));
    }

    #[test]
    fn finish_kind_foursquare() {
        assert_eq!(
            finish_kind(
                Kind::Text,
                "Pimlico Gardens\nLondon, United Kingdom\nhttps://foursquare.com/v/4e89"
            ),
            Kind::Location
        );
        assert_eq!(
            finish_kind(Kind::Media, "<Media omitted>\nCaption"),
            Kind::Media
        );
        assert_eq!(finish_kind(Kind::Text, "a\nb"), Kind::Text);
    }
}
