// @ts-check
// The texts of sent files (files.js), in both languages: the app and the console add them
// to their own tables with extend(FILE_STRINGS) (tests/test_i18n_keys.py reads them here).
// The err_ keys are the server's refusals (docs/files.md), filled from their details.

export const FILE_STRINGS = {
  en: {
    attachFile: "Attach a file",
    sendingFile: "Sending {name}…",
    fileRefused: "{name} was not sent: {reason}",
    fileMessage: "📎 {name}",
    imageAlt: "Image: {name}",
    downloadFile: "Download {name} ({size})",
    err_file_too_large: "the file is larger than {megabytes} MB.",
    err_file_type_refused: "files of this type cannot be sent (images, PDF, Office documents, text and zip can).",
    err_file_content_mismatch: "the file is not what its name says.",
    err_image_too_large: "the image is larger than {megapixels} megapixels.",
    err_image_unreadable: "the image cannot be read.",
    err_empty_file: "the file is empty.",
  },
  nl: {
    attachFile: "Bestand bijvoegen",
    sendingFile: "{name} wordt verzonden…",
    fileRefused: "{name} is niet verzonden: {reason}",
    fileMessage: "📎 {name}",
    imageAlt: "Afbeelding: {name}",
    downloadFile: "{name} downloaden ({size})",
    err_file_too_large: "het bestand is groter dan {megabytes} MB.",
    err_file_type_refused: "dit soort bestand kan niet worden verzonden (afbeeldingen, PDF, Office-documenten, tekst en zip wel).",
    err_file_content_mismatch: "het bestand is niet wat de naam zegt.",
    err_image_too_large: "de afbeelding is groter dan {megapixels} megapixels.",
    err_image_unreadable: "de afbeelding kan niet worden gelezen.",
    err_empty_file: "het bestand is leeg.",
  },
};
