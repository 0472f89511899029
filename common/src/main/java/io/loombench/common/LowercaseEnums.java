package io.loombench.common;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enum options are written in lowercase ({@code --model nio}) and shown so in the help; picocli's
 * own error for a bad value lists the constants' names ({@code [VIRTUAL, POOL, NIO]}). This gives
 * every enum option of a command and its subcommands a converter that accepts any case and, for
 * a bad value, names the values the way the help does.
 */
final class LowercaseEnums {
    private LowercaseEnums() {
    }

    /** Registers a converter for each enum type an option or parameter of the command or its subcommands has. */
    static void register(CommandLine commandLine) {
        Set<Class<?>> types = new LinkedHashSet<>();
        collect(commandLine, types);
        for (Class<?> type : types) {
            registerFor(commandLine, type);
        }
    }

    private static void collect(CommandLine commandLine, Set<Class<?>> types) {
        CommandSpec spec = commandLine.getCommandSpec();
        for (ArgSpec arg : spec.args()) {
            if (arg.type().isEnum() && arg.converters().length == 0) {
                types.add(arg.type());
            }
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            collect(sub, types);
        }
    }

    /** Registering on the root command registers on its subcommands too. */
    private static <E extends Enum<E>> void registerFor(CommandLine commandLine, Class<?> type) {
        @SuppressWarnings("unchecked")
        Class<E> enumType = (Class<E>) type;
        commandLine.registerConverter(enumType, converter(enumType));
    }

    private static <E extends Enum<E>> CommandLine.ITypeConverter<E> converter(Class<E> enumType) {
        String names = Arrays.stream(enumType.getEnumConstants()).map(LowercaseEnums::name).collect(Collectors.joining(", "));
        return value -> Arrays.stream(enumType.getEnumConstants())
                .filter(constant -> constant.name().equalsIgnoreCase(value.strip()))
                .findFirst()
                .orElseThrow(() -> new CommandLine.TypeConversionException("expected one of " + names + ", was '" + value + "'"));
    }

    private static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
