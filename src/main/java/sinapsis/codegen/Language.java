package sinapsis.codegen;

/** The languages a session exports to, with the file each becomes. */
public enum Language {
    KERAS("keras", "sinapsis_keras.py"), PYTORCH("pytorch", "sinapsis_pytorch.py"), DL4J("dl4j", "SinapsisModel.java");

    private final String id;
    private final String fileName;

    Language(String id, String fileName) {
        this.id = id;
        this.fileName = fileName;
    }

    public String id() {
        return id;
    }

    public String fileName() {
        return fileName;
    }

    /** Every language's id, comma-separated, for messages. */
    public static String names() {
        return String.join(", ", java.util.Arrays.stream(values()).map(Language::id).toList());
    }

    public static java.util.Optional<Language> of(String id) {
        for (Language language : values()) {
            if (language.id.equals(id)) {
                return java.util.Optional.of(language);
            }
        }
        return java.util.Optional.empty();
    }

    /** Writes the program. */
    public String write(CodeSource source) {
        return switch (this) {
            case KERAS -> source.network().hasImageLayers() ? new KerasImageCode(source).write()
                    : new KerasCode(source).write();
            case PYTORCH -> source.network().hasImageLayers() ? new PyTorchImageCode(source).write()
                    : new PyTorchCode(source).write();
            case DL4J -> new Dl4jCode(source).write();
        };
    }
}
